// Attackers' text stays text in a real browser: no dialog opens, no injected element exists, the
// title reads as typed, and the page still hydrates under the Content-Security-Policy.
import { expect, test, unique, collectErrors, signUpAndLogIn, waitForHydration, REFERENCE_PATH } from "./support";
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
  // No script on the page carries the attacker's text (the page's own inline scripts are the
  // ones the policy names by hash; see the last test).
  const injected = await page
    .locator("script")
    .evaluateAll((scripts) => scripts.filter((s) => (s.textContent ?? "").includes("alert(")).length);
  expect(injected).toBe(0);
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
  const errors = collectErrors(page);
  // A profile has islands, so it has the inline script that hydrates them.
  const response = await page.goto(REFERENCE_PATH);
  const policy = response?.headers()["content-security-policy"] ?? "";
  expect(policy).toContain("object-src 'none'");
  const scripts = policy
    .split(";")
    .map((directive) => directive.trim())
    .find((directive) => directive.startsWith("script-src"));
  // The page's own inline scripts by their sha256, the same for every visitor (no nonce, no
  // unsafe-inline), so the page can be kept and served as the same bytes.
  expect(scripts).toMatch(/^script-src 'self'( 'sha256-[A-Za-z0-9+/]+=*')+ 'wasm-unsafe-eval'$/);
  await waitForHydration(page);
  expect(await page.locator("[data-island][data-hydrated=true]").count()).toBeGreaterThan(0);
  // An inline script the policy does not name is refused by the browser.
  const ran = await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.__injected = true";
    document.body.appendChild(script);
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
  // The page's own scripts were admitted: the only refusal is the injected one.
  expect(errors.filter((e) => /Refused to execute inline script/i.test(e)).length).toBeLessThanOrEqual(1);
  expect(errors.filter((e) => /Refused to (load|execute) (the )?script '/i.test(e))).toEqual([]);
});
