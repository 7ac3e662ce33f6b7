// Claims in a real browser, with and without JavaScript: an institutional e-mail claim (L2 and
// its breakdown), the owner's "Open to collaborate" switch, and a written-evidence claim that a
// moderator approves (L3).
import { test, expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { collectErrors, signUpAndLogIn, waitForHydration } from "./support";

test.describe.configure({ mode: "serial" });

/** The server binary the tests run against, for `server user grant-moderator`. */
function grantModerator(email: string) {
  const bin = (process.env.E2E_SERVER ?? "target/server-release/server serve --fresh").split(" ")[0];
  execFileSync(bin, ["user", "grant-moderator", email], {
    cwd: "..",
    env: { ...process.env, BZPEER_DATABASE_NAME: process.env.BZPEER_DATABASE_NAME ?? "bzpeer_e2e", RUST_LOG: "warn" },
  });
}

// Records at institutions with a known web domain (uoitc.edu.iq), and two without.
const cases = [
  { js: false, mode: "without JavaScript", owned: "laith-alzubaidi-openalex-b9d5dd4f66", reviewed: "ding-liang-openalex-91bc28e3b0" },
  { js: true, mode: "with JavaScript", owned: "omran-al-shamma-openalex-13e6c16527", reviewed: "tao-xiang-openalex-d32c040dc4" },
];

for (const { js, mode, owned, reviewed } of cases) {
  test.describe(mode, () => {
    test.use({ javaScriptEnabled: js });

    test(`claim with an institutional e-mail and toggle "Open to collaborate" ${mode}`, async ({ page }) => {
      const errors = collectErrors(page);
      const email = `owner-${Date.now()}-${js ? "js" : "nojs"}@cs.uoitc.edu.iq`;
      await signUpAndLogIn(page, "Owner Tester", email, js, `/authors/${owned}`);
      await expect(page).toHaveURL(`/authors/${owned}`);
      await page.getByRole("link", { name: "Claim this author record" }).click();
      await expect(page.getByText("Your verified e-mail address belongs to University of Information Technology and Communications")).toBeVisible();
      if (js) await waitForHydration(page);
      await page.getByRole("button", { name: "Claim with my institutional e-mail" }).click();
      await expect(page).toHaveURL(`/authors/${owned}`);
      const trust = page.getByRole("list", { name: "Trust" });
      await expect(trust).toContainText("Verification L2");
      await expect(trust).toContainText("Claimed");
      await page.getByText("Why this score?").click();
      await expect(page.getByText("Claimed by its author with automatic evidence")).toBeVisible();

      await expect(page.getByRole("list", { name: "About this researcher" })).toContainText("Open to collaborate");
      await page.getByRole("link", { name: "Edit your record" }).click();
      if (js) await waitForHydration(page);
      await page.getByLabel("Open to collaborate").uncheck();
      await page.getByRole("button", { name: "Save" }).click();
      await expect(page).toHaveURL(`/authors/${owned}`);
      await expect(page.getByRole("list", { name: "About this researcher" })).not.toContainText("Open to collaborate");
      expect(errors).toEqual([]);
    });

    test(`a claim with written evidence is approved by a moderator ${mode}`, async ({ browser }) => {
      const stamp = `${Date.now()}-${js ? "js" : "nojs"}`;
      const claimant = await browser.newPage({ javaScriptEnabled: js });
      await signUpAndLogIn(claimant, "Claimant Tester", `claimant-${stamp}@gmail.com`, js, `/authors/${reviewed}/claim`);
      await expect(claimant.getByText("does not belong to an institution on this record")).toBeVisible();
      await claimant.getByLabel("Evidence (plain text)").fill("I am this researcher: my faculty page lists these papers, and my ORCID record matches them.");
      await claimant.getByLabel(/^Links/).fill("https://example.org/faculty/me");
      await claimant.getByRole("button", { name: "Send for review" }).click();
      await expect(claimant).toHaveURL(`/authors/${reviewed}`);
      await expect(claimant.getByText("Claim pending: your claim is waiting for a moderator.")).toBeVisible();

      const moderator = await browser.newPage({ javaScriptEnabled: js });
      const moderatorEmail = `moderator-${stamp}@example.org`;
      await signUpAndLogIn(moderator, "Moderator Tester", moderatorEmail, js);
      grantModerator(moderatorEmail);
      await moderator.goto("/moderation/claims");
      if (js) await waitForHydration(moderator);
      const request = moderator.getByRole("article").filter({ hasText: "my faculty page lists these papers" });
      await request.getByLabel("Reason (sent to the requester)").fill("Faculty page checked");
      await request.getByRole("button", { name: "Approve" }).click();
      await expect(moderator.getByRole("article").filter({ hasText: "my faculty page lists these papers" })).toHaveCount(0);

      await claimant.goto(`/authors/${reviewed}`);
      await expect(claimant.getByRole("list", { name: "Trust" })).toContainText("Verification L3");
      await expect(claimant.getByText("This is your record.")).toBeVisible();
    });
  });
}
