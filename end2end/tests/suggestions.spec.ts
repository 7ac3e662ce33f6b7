// Collaborator suggestions in a real browser, with and without JavaScript: on the demo catalogue
// the reference profile lists researchers to work with (its topic's most prolific made-up
// researchers), each with why, and all of them on its own page; on a record a test made, its
// owner sees a newcomer two hops away who claimed their own record, invites them from the
// suggestion, and dismisses them (remembered).
import { test, expect, unique, signUpAndLogIn, waitForHydration, REFERENCE_PATH } from "./support";
import { demoURL } from "../e2e-env";

for (const javaScriptEnabled of [false, true]) {
  const mode = javaScriptEnabled ? "with JavaScript" : "without JavaScript";
  test.describe(mode, () => {
    test.use({ javaScriptEnabled });

    test(`profiles suggest researchers to work with, each with why (${mode})`, async ({ page }) => {
      // The reference profile shares Machine Learning with the demo's made-up researchers.
      await page.goto(`${demoURL}${REFERENCE_PATH}`);
      const section = page.getByRole("region", { name: "Researchers to work with" });
      const items = section.getByRole("article");
      await expect(items).toHaveCount(5);
      for (const item of await items.all()) {
        await expect(item).toContainText(/Shares Machine Learning|co-authored with/);
      }
      await expect(section.getByRole("link", { name: "Machine Learning" }).first()).toHaveAttribute("href", /^\/topics\//);

      // Every kept suggestion on the record's own page.
      await section.getByRole("link", { name: "All suggestions" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Researchers to work with: Mor Shpigel Nacson");
      const list = page.getByRole("region", { name: /suggestions?$/ });
      expect(await list.getByRole("article").count()).toBeGreaterThan(5);
      // The filter keeps only those an invitation reaches: none of the made-up records is claimed.
      await page.getByLabel("Only researchers open to an invitation").check();
      await page.getByRole("button", { name: "Show" }).click();
      await expect(page).toHaveURL(/open=on/);
      await expect(page.getByText("None of the suggestions is open to an invitation yet.")).toBeVisible();
    });

    test(`the reference profile has researchers to work with on the main server's data too (${mode})`, async ({ page }) => {
      // With the real samples (../shared/data) everyone on Machine Learning is already her
      // co-author: the researchers come from her field, Computer Science. Without them (a
      // user's clone) the synthetic catalogue's topic peers do.
      await page.goto(REFERENCE_PATH);
      const section = page.getByRole("region", { name: "Researchers to work with" });
      const items = section.getByRole("article");
      await expect(items).toHaveCount(5);
      for (const item of await items.all()) {
        await expect(item).toContainText(/Also works in Computer Science, on |Shares |co-authored with /);
        await expect(item.getByRole("link").nth(1)).toHaveAttribute("href", /^\/(topics|authors)\//);
      }
      await expect(section).not.toContainText("No suggestions");
    });

    test(`the owner invites a suggested researcher, then dismisses them (${mode})`, async ({ person, researcher }) => {
      test.setTimeout(120_000);
      const stamp = unique();
      const record = await researcher({ given: "Owen", works: 2, institution: true, circle: true });
      const newcomer = record.circle!.newcomer;

      /** Signs `name` up with an address at the record's institution and claims the record. */
      const claim = async (name: string, mailbox: string, claimed: { path: string; institution?: { domain: string } }) => {
        const page = await person();
        await signUpAndLogIn(page, name, `${mailbox}-${stamp}@${claimed.institution!.domain}`, javaScriptEnabled, claimed.path);
        await page.getByRole("link", { name: "Claim this author record" }).click();
        if (javaScriptEnabled) await waitForHydration(page);
        await page.getByRole("button", { name: "Claim with my institutional e-mail" }).click();
        await expect(page).toHaveURL(claimed.path);
        return page;
      };
      // The newcomer claims their own record (open to collaborate); the owner claims theirs and
      // opens their suggestions.
      await claim("Nia Newcomer", "nia", newcomer);
      const o = await claim("Owen Owner", "owen", record);
      const onProfile = o.getByRole("region", { name: "Researchers to work with" });
      await expect(onProfile.getByRole("article").filter({ hasText: newcomer.name })).toBeVisible();
      await onProfile.getByRole("link", { name: "All suggestions" }).click();
      await expect(o).toHaveURL("/me/suggestions");

      const suggestion = o.getByRole("article").filter({ hasText: newcomer.name });
      await expect(suggestion).toContainText(`co-authored with ${record.circle!.colleague}`);
      await expect(suggestion).toContainText("Open to collaborate");
      await expect(suggestion.getByRole("link", { name: record.circle!.colleague })).toHaveAttribute("href", /^\/authors\//);

      // Invite from the suggestion: its link opens the newcomer's invitation form.
      await suggestion.getByRole("link", { name: `Invite ${newcomer.name}` }).click();
      await expect(o).toHaveURL(`${newcomer.path}#collab-heading`);
      if (javaScriptEnabled) await waitForHydration(o);
      const panel = o.getByRole("region", { name: "Direct collaboration" });
      await panel.getByLabel("Subject").fill("Working together");
      await panel.getByLabel("Message").fill("Your colleague's work with you is close to mine; shall we compare notes?");
      await panel.getByRole("button", { name: "Send invitation" }).click();
      await expect(panel.getByRole("status")).toContainText("Invitation sent");

      // Dismiss: gone from the list and the profile, and still gone on the next visit.
      await o.goto("/me/suggestions");
      if (javaScriptEnabled) await waitForHydration(o);
      await o.getByRole("article").filter({ hasText: newcomer.name }).getByRole("button", { name: `Dismiss ${newcomer.name}` }).click();
      await expect(o).toHaveURL("/me/suggestions");
      await expect(o.getByRole("article").filter({ hasText: newcomer.name })).toHaveCount(0);
      await o.goto(record.path);
      await expect(o.getByRole("region", { name: "Researchers to work with" })).not.toContainText(newcomer.name);
      await o.goto("/me/suggestions");
      await expect(o.getByRole("article").filter({ hasText: newcomer.name })).toHaveCount(0);
    });
  });
}
