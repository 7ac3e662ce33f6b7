// Sign up, verify through the outbox, log in, follow a researcher, see the feed and unfollow; a
// refused log-in: once without JavaScript (plain form posts) and once hydrated. Each follow test
// follows a record of its own, so the follower counts it reads are its own doing.
import { test, expect, unique, collectErrors, waitForHydration } from "./support";
import type { Page } from "@playwright/test";

async function verifyThroughOutbox(page: Page, email: string) {
  await page.goto("/dev/outbox");
  const mail = page.getByRole("article").filter({ hasText: `To ${email}` }).first();
  const body = (await mail.locator("pre").textContent()) ?? "";
  const link = body.match(/https?:\/\/\S+\/verify-email\?token=[\w-]+/)?.[0];
  expect(link, "a verification link in the mail").toBeTruthy();
  await page.goto(new URL(link!).pathname + new URL(link!).search);
  await page.getByLabel("The password you chose when you signed up").fill("correct horse battery");
  await page.getByRole("button", { name: "Verify my address" }).click();
  await expect(page.getByRole("status")).toContainText("Your e-mail address is verified");
}

for (const javaScriptEnabled of [false, true]) {
  const mode = javaScriptEnabled ? "with JavaScript" : "without JavaScript";

  test.describe(mode, () => {
    test.use({ javaScriptEnabled });

    test(`sign up, verify, log in, follow and unfollow ${mode}`, async ({ page, researcher }) => {
      const errors = collectErrors(page);
      const hydrated = async () => {
        if (javaScriptEnabled) await waitForHydration(page);
      };
      const email = `ada-${unique()}@example.org`;
      const followed = await researcher({ given: "Noor" });

      await page.goto("/signup");
      await hydrated();
      await page.getByLabel("Display name").fill("Ada Tester");
      await page.getByLabel("E-mail address").fill(email);
      await page.getByLabel("Password").fill("correct horse battery");
      await page.getByRole("button", { name: "Sign up" }).click();
      await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();

      await verifyThroughOutbox(page, email);

      // Logged out, "Follow researcher" leads to log-in and back to the profile.
      await page.goto(followed.path);
      await hydrated();
      await page.getByRole("link", { name: /Follow researcher\s*0/ }).click();
      await expect(page).toHaveURL(/\/login\?next=/);
      await hydrated();
      await page.getByLabel("E-mail address", { exact: true }).fill(email);
      await page.getByLabel("Password").fill("correct horse battery");
      await page.getByRole("button", { name: "Log in" }).click();
      await expect(page).toHaveURL(followed.path);
      await expect(page.getByRole("navigation", { name: "Account" })).toContainText("Ada Tester");
      await hydrated();

      // Hydrated, the follow happens in place: a marker set on this page survives it.
      if (javaScriptEnabled) await page.evaluate(() => ((window as unknown as { stay: number }).stay = 1));
      await page.getByRole("button", { name: /Follow researcher\s*0/ }).click();
      await expect(page.getByRole("button", { name: /Unfollow\s*1/ })).toBeVisible();
      if (javaScriptEnabled) {
        expect(await page.evaluate(() => (window as unknown as { stay?: number }).stay)).toBe(1);
      }
      // The snapshot's count follows too (with JavaScript the island updates it in place).
      await expect(page.getByRole("region", { name: "Trust snapshot" })).toContainText("1followers");

      await page.getByRole("link", { name: "Following", exact: true }).click();
      await expect(page.getByRole("heading", { name: "Researchers you follow" })).toBeVisible();
      await expect(page.getByRole("link", { name: followed.name })).toBeVisible();
      await expect(page.getByRole("link", { name: followed.works[0] })).toBeVisible();

      await page.goto(followed.path);
      await hydrated();
      await page.getByRole("button", { name: /Unfollow\s*1/ }).click();
      await expect(page.getByRole("button", { name: /Follow researcher\s*0/ })).toBeVisible();

      await page.getByRole("button", { name: "Log out" }).click();
      await expect(page.getByRole("navigation", { name: "Account" })).toContainText("Log in");
      expect(errors).toEqual([]);
    });

    test(`a refused log-in says why once, keeps the address and puts nothing in the URL ${mode}`, async ({ page }) => {
      // Text in the URL is never shown.
      await page.goto("/login?error=Your%20account%20is%20locked");
      if (javaScriptEnabled) await waitForHydration(page);
      await expect(page.getByRole("alert")).toHaveCount(0);
      await expect(page.getByText("Your account is locked")).toHaveCount(0);

      // From a clean address, so the checks below see what the refusal put in the URL.
      await page.goto("/login");
      if (javaScriptEnabled) await waitForHydration(page);
      const email = `nobody-${unique()}@example.org`;
      await page.getByLabel("E-mail address", { exact: true }).fill(email);
      await page.getByLabel("Password").fill("not the password");
      await page.getByRole("button", { name: "Log in" }).click();
      await expect(page.getByRole("alert")).toContainText("The e-mail address or the password is wrong");
      await expect(page.getByLabel("E-mail address", { exact: true })).toHaveValue(email);
      expect(page.url()).not.toContain("error=");
      expect(page.url()).not.toContain("nobody-");
      if (!javaScriptEnabled) await expect(page.getByLabel("Password")).toHaveValue("");

      // Shown once: the message went with the page that showed it.
      await page.reload();
      await expect(page.getByRole("alert")).toHaveCount(0);
    });
  });
}
