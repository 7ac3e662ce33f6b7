// The reference profile, search and a work page with JavaScript disabled: all server-rendered.
import { test, expect, REFERENCE_PATH } from "./support";

test.use({ javaScriptEnabled: false });

test("the reference profile shows every section without JavaScript", async ({ page }) => {
  const response = await page.goto(REFERENCE_PATH);
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle("Mor Shpigel Nacson · BZPEER");
  await expect(page.getByRole("heading", { level: 1, name: "Mor Shpigel Nacson" })).toBeVisible();
  const about = page.getByRole("list", { name: "About this researcher" });
  await expect(about).toContainText("Researcher");
  await expect(about).toContainText("Affiliation not imported");
  await expect(about).toContainText("Open to collaborate");

  for (const name of ["Trust snapshot", "Actions", "Identity and collaboration", "Direct collaboration", "Research graph", "Published work"]) {
    await expect(page.getByRole("heading", { level: 2, name })).toBeVisible();
  }
  const trust = page.getByRole("list", { name: "Trust" });
  await expect(trust).toHaveText(/Trust 15 - Unverified\s*Verification L1\s*Unclaimed author/);
  const snapshot = page.getByRole("region", { name: "Trust snapshot" });
  await expect(snapshot).toContainText("3works");
  await expect(snapshot).toContainText("0followers");
  await expect(snapshot).toContainText("1topics");
  await expect(snapshot).toContainText("4close collaborators");
  await expect(page.getByRole("link", { name: /Follow researcher\s*0/ })).toBeVisible();
  await expect(page.getByText("Log in to claim")).toBeVisible();
  await expect(page.getByText("Claim this author entity first to unlock direct invitations.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Open full explorer" })).toBeVisible();

  const works = page.getByRole("region", { name: "Published work" });
  await expect(works).toContainText("3 published item(s)");
  const titles = works.getByRole("heading", { level: 3 });
  await expect(titles).toHaveText([
    "Stochastic Gradient Descent on Separable Data: Exact Convergence with a Fixed Learning Rate",
    "On the Implicit Bias of Initialization Shape: Beyond Infinitesimal Mirror Descent",
    "At Stability's Edge: How to Adjust Hyperparameters to Preserve Minima Selection in Asynchronous Training of Neural Networks?",
  ]);
  await expect(works.getByRole("article").first()).toContainText("preprint2022arXiv");
  await expect(works).toContainText("Stochastic Gradient Descent (SGD) is a central tool in machine learning.");
});

test("search finds the reference profile without JavaScript", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Name or words of a title").fill("Mor Shpigel Nacson");
  await page.getByLabel("Name or words of a title").press("Enter");
  await expect(page).toHaveURL(/\/search\?q=Mor\+Shpigel\+Nacson/);
  await page.getByRole("region", { name: "Researchers" }).getByRole("link", { name: "Mor Shpigel Nacson" }).click();
  await expect(page).toHaveURL(REFERENCE_PATH);
  await expect(page.getByText("Trust 15 - Unverified")).toBeVisible();
});

test("a work page lists its authors in order without JavaScript", async ({ page }) => {
  await page.goto(REFERENCE_PATH);
  await page.getByRole("link", { name: "On the Implicit Bias of Initialization Shape: Beyond Infinitesimal Mirror Descent" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("On the Implicit Bias of Initialization Shape: Beyond Infinitesimal Mirror Descent");
  const authors = page.getByRole("list", { name: "Authors in byline order" });
  await expect(authors.getByRole("link")).toHaveText([
    "Shahar Azulay", "Edward Moroshko", "Mor Shpigel Nacson", "Blake Woodworth", "Nathan Srebro", "Amir Globerson", "Daniel Soudry",
  ]);
});

test("an unknown researcher gets a 404 page", async ({ page }) => {
  const response = await page.goto("/authors/nobody-arxiv-0000000000");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});
