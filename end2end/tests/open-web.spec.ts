// The open web, with and without JavaScript: search narrowed by year and type from the form
// (every choice in the address), and topic pages opened from the chips that name them.
import { test, expect, REFERENCE_PATH } from "./support";

const SGD = "Stochastic Gradient Descent on Separable Data: Exact Convergence with a Fixed Learning Rate";

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled });

    test("search narrows works by year and type, and the address keeps the filters", async ({ page }) => {
      await page.goto("/search");
      const form = page.getByRole("search", { name: "Search with filters" });
      await form.getByLabel("Name, title words, topic or institution").fill("stochastic gradient descent separable");
      await form.getByLabel("Search in").selectOption("works");
      await form.getByLabel("From year").fill("2022");
      await form.getByLabel("To year").fill("2022");
      await form.getByLabel("Type").selectOption("preprint");
      await form.getByRole("button", { name: "Search" }).click();
      await expect(page).toHaveURL(/kind=works/);
      await expect(page).toHaveURL(/from=2022/);
      await expect(page).toHaveURL(/type=preprint/);
      const results = page.getByRole("region", { name: "Works" });
      await expect(results.getByRole("link", { name: SGD })).toBeVisible();
      await expect(page.getByRole("navigation", { name: "Result kinds" }).getByRole("link", { name: /^Works \(\d/ })).toBeVisible();

      // The form shows the search back; a later year leaves the 2022 work out.
      await expect(form.getByLabel("From year")).toHaveValue("2022");
      await form.getByLabel("From year").fill("2023");
      await form.getByLabel("To year").fill("");
      await form.getByRole("button", { name: "Search" }).click();
      await expect(page).toHaveURL(/from=2023/);
      await expect(page.getByRole("link", { name: SGD })).toHaveCount(0);

      // A facet narrows further with one click.
      await page.goto("/search?q=stochastic+gradient+descent+separable&kind=works");
      await page.getByRole("complementary", { name: "Narrow the works" }).getByRole("link", { name: /^preprint \(/ }).click();
      await expect(page).toHaveURL(/type=preprint/);
      await expect(page.getByRole("link", { name: SGD })).toBeVisible();
    });

    test("a topic chip opens the topic page with its hierarchy, researchers and works", async ({ page }) => {
      await page.goto(REFERENCE_PATH);
      await page.getByRole("list", { name: "About this researcher" }).getByRole("link", { name: "Machine Learning" }).click();
      await expect(page).toHaveURL(/\/topics\/machine-learning-\d+$/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Machine Learning");
      const hierarchy = page.getByRole("navigation", { name: "Where this topic sits" });
      await expect(hierarchy).toContainText("Computer Science");
      await expect(page.getByRole("region", { name: "Researchers with most works here" }).getByRole("link").first()).toBeVisible();
      await expect(page.getByRole("region", { name: "Newest works" }).getByRole("heading", { level: 3 }).first()).toBeVisible();
      await page.getByRole("navigation", { name: "Sort works" }).getByRole("link", { name: "Most cited" }).click();
      await expect(page).toHaveURL(/sort=cited/);
      await expect(page.getByRole("heading", { name: "Most cited works" })).toBeVisible();

      // The work page's topic chips lead to the same page.
      await page.goto(REFERENCE_PATH);
      // From the works list (the graph's drawing links to it too, and is hidden once the canvas
      // takes over with JavaScript).
      await page.getByRole("region", { name: "Published work" }).getByRole("link", { name: SGD }).first().click();
      await page.getByRole("list", { name: "Topics" }).getByRole("link", { name: "Machine Learning" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Machine Learning");
    });
  });
}
