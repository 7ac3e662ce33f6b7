// Shared bits of the browser tests: the reference profile and waiting for hydration.
import { expect, type Page } from "@playwright/test";

export const REFERENCE_PATH = "/authors/mor-shpigel-nacson-arxiv-fb85d1b566";

/**
 * Clicks on an island before it hydrates do what they do without JavaScript: wait until every
 * island on the page says it is hydrated (`data-hydrated` on its root; a page without islands
 * has nothing to wait for).
 */
export async function waitForHydration(page: Page) {
  await page.waitForLoadState("load");
  await expect(page.locator("[data-island]:not([data-hydrated=true])")).toHaveCount(0);
}

/** Collects console errors and uncaught page errors for a test to assert on. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/** Signs up, verifies through the development outbox and logs in; lands on `next`. */
export async function signUpAndLogIn(page: Page, name: string, email: string, hydrated: boolean, next = "/") {
  const ready = async () => {
    if (hydrated) await waitForHydration(page);
  };
  await page.goto("/signup");
  await ready();
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
  await page.goto("/dev/outbox");
  const body = (await page.getByRole("article").filter({ hasText: `To ${email}` }).first().locator("pre").textContent()) ?? "";
  const link = new URL(body.match(/https?:\/\/\S+\/verify-email\?token=[\w-]+/)![0]);
  await page.goto(link.pathname + link.search);
  await ready();
  await page.getByLabel("The password you chose when you signed up").fill("correct horse battery");
  await page.getByRole("button", { name: "Verify my address" }).click();
  await expect(page.getByRole("status")).toContainText("Your e-mail address is verified");
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await ready();
  await page.getByLabel("E-mail address", { exact: true }).fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("navigation", { name: "Account" })).toContainText(name);
  await ready();
}
