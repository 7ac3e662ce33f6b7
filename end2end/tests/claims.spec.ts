// Claims in a real browser, with and without JavaScript: an institutional e-mail claim (L2 and
// its breakdown), the owner's "Open to collaborate" switch, and a written-evidence claim that a
// moderator approves (L3). Each test claims a record it imported itself.
import { test, expect, unique, collectErrors, runServer, signUpAndLogIn, waitForHydration } from "./support";

const cases = [
  { js: false, mode: "without JavaScript" },
  { js: true, mode: "with JavaScript" },
];

for (const { js, mode } of cases) {
  test.describe(mode, () => {
    test.use({ javaScriptEnabled: js });

    test(`claim with an institutional e-mail and toggle "Open to collaborate" ${mode}`, async ({ page, researcher }) => {
      const errors = collectErrors(page);
      // A record whose works are at an institution with a known web domain.
      const owned = await researcher({ given: "Laith", institution: true });
      const email = `owner-${unique()}@cs.${owned.institution!.domain}`;
      await signUpAndLogIn(page, "Owner Tester", email, js, owned.path);
      await expect(page).toHaveURL(owned.path);
      await page.getByRole("link", { name: "Claim this author record" }).click();
      await expect(page.getByText(`Your verified e-mail address belongs to ${owned.institution!.name}`)).toBeVisible();
      if (js) await waitForHydration(page);
      await page.getByRole("button", { name: "Claim with my institutional e-mail" }).click();
      await expect(page).toHaveURL(owned.path);
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
      await expect(page).toHaveURL(owned.path);
      await expect(page.getByRole("list", { name: "About this researcher" })).not.toContainText("Open to collaborate");
      expect(errors).toEqual([]);
    });

    test(`a claim with written evidence is approved by a moderator ${mode}`, async ({ person, researcher }) => {
      const stamp = unique();
      // A record at no institution with a known web domain.
      const reviewed = await researcher({ given: "Ding" });
      const claimant = await person();
      await signUpAndLogIn(claimant, "Claimant Tester", `claimant-${stamp}@gmail.com`, js, `${reviewed.path}/claim`);
      await expect(claimant.getByText("does not belong to an institution on this record")).toBeVisible();
      // The queue holds every test's requests: this one is told apart by its evidence.
      const evidence = `I am this researcher: my faculty page lists these papers, and my ORCID record matches them (${stamp}).`;
      await claimant.getByLabel("Evidence (plain text)").fill(evidence);
      await claimant.getByLabel(/^Links/).fill("https://example.org/faculty/me");
      await claimant.getByRole("button", { name: "Send for review" }).click();
      await expect(claimant).toHaveURL(reviewed.path);
      await expect(claimant.getByText("Claim pending: your claim is waiting for a moderator.")).toBeVisible();

      const moderator = await person();
      const moderatorEmail = `moderator-${stamp}@example.org`;
      await signUpAndLogIn(moderator, "Moderator Tester", moderatorEmail, js);
      await runServer(["user", "grant-moderator", moderatorEmail]);
      await moderator.goto("/moderation/claims");
      if (js) await waitForHydration(moderator);
      const request = moderator.getByRole("article").filter({ hasText: evidence });
      await request.getByLabel("Reason (sent to the requester)").fill("Faculty page checked");
      await request.getByRole("button", { name: "Approve" }).click();
      await expect(moderator.getByRole("article").filter({ hasText: evidence })).toHaveCount(0);

      await claimant.goto(reviewed.path);
      await expect(claimant.getByRole("list", { name: "Trust" })).toContainText("Verification L3");
      await expect(claimant.getByText("This is your record.")).toBeVisible();
    });
  });
}
