// With JavaScript: the same pages hydrate their islands without a console error; links are page loads.
import { test, expect, REFERENCE_PATH, collectErrors, waitForHydration } from "./support";

test("the reference profile hydrates without a console error", async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(REFERENCE_PATH);
  await waitForHydration(page);
  await expect(page.getByText("Trust 15 - Unverified")).toBeVisible();
  await expect(page.getByRole("region", { name: "Published work" }).getByRole("article")).toHaveCount(3);
  expect(errors).toEqual([]);
});

test("a hydrated profile links to a collaborator and back", async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(REFERENCE_PATH);
  await waitForHydration(page);
  await page.getByRole("region", { name: "Trust snapshot" }).getByRole("link", { name: "Daniel Soudry" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Daniel Soudry");
  await expect(page).toHaveTitle("Daniel Soudry · BZPEER");
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mor Shpigel Nacson");
  expect(errors).toEqual([]);
});

test("search finds the reference profile with JavaScript", async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto("/");
  await waitForHydration(page);
  await page.getByRole("search").first().getByRole("searchbox").fill("Mor Shpigel Nacson");
  await page.getByRole("search").first().getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: "Mor Shpigel Nacson" }).first().click();
  await expect(page).toHaveURL(REFERENCE_PATH);
  await expect(page.getByRole("list", { name: "Trust" })).toContainText("Verification L1");
  expect(errors).toEqual([]);
});
