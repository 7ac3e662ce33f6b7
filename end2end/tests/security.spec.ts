// Attackers' text stays text in a real browser: no dialog opens, no injected element exists, the
// title reads as typed, and the page still hydrates under the Content-Security-Policy.
import { expect, test, unique, collectErrors, signUpAndLogIn, waitForHydration } from "./support";
import type { Page } from "@playwright/test";

const PAYLOAD = `</title><script>alert(1)</script>"><svg onload=alert(2)>'><img src=x onerror=alert(3)>`;

function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  return dialogs;
}

async function assertInert(page: Page, dialogs: string[]) {
  await expect(page.locator("svg[onload], img[onerror]")).toHaveCount(0);
  expect(await page.locator("script:not([nonce])").count()).toBe(0);
  expect(dialogs).toEqual([]);
}

test("a hostile search query is shown as typed and runs nothing", async ({ page }) => {
  const dialogs = watchDialogs(page);
  const errors = collectErrors(page);
  await page.goto(`/search?q=${encodeURIComponent(PAYLOAD)}`);
  await waitForHydration(page);
  await expect(page).toHaveTitle(`Search “${PAYLOAD}” · BZPEER`);
  await expect(page.locator("#search-q")).toHaveValue(PAYLOAD);
  await assertInert(page, dialogs);
  expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
});

test("a hostile display name is shown as typed in the header", async ({ page }) => {
  const dialogs = watchDialogs(page);
  const name = `"><svg onload=alert(2)><script>alert(1)</script>`;
  await signUpAndLogIn(page, name, `hostile-${unique()}@example.org`, true);
  await expect(page.getByRole("navigation", { name: "Account" })).toContainText(name);
  await assertInert(page, dialogs);
});

test("the page's policy admits its own scripts only", async ({ page }) => {
  const response = await page.goto("/");
  const policy = response?.headers()["content-security-policy"] ?? "";
  expect(policy).toContain("object-src 'none'");
  expect(policy).toMatch(/script-src 'self' 'nonce-[\w-]+' 'wasm-unsafe-eval'/);
  await waitForHydration(page);
  // An inline script without the nonce is refused by the browser.
  const ran = await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.__injected = true";
    document.body.appendChild(script);
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
});
