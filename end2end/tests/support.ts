// Shared bits of the browser tests: the reference profile and waiting for hydration.
import { expect, type Page } from "@playwright/test";

export const REFERENCE_PATH = "/authors/mor-shpigel-nacson-arxiv-fb85d1b566";

/** Clicks before hydration do nothing: wait for the marker the app sets once hydrated. */
export async function waitForHydration(page: Page) {
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1);
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
