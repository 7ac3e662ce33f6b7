// Direct collaboration in a real browser, with and without JavaScript: A invites B (who claimed
// their record) about one of B's works, B accepts, they exchange messages, the header's unread
// counts move, and once B blocks A, A can no longer invite B.
import { test, expect, unique, collectErrors, signUpAndLogIn, waitForHydration } from "./support";
import type { Page } from "@playwright/test";

const cases = [
  { js: false, mode: "without JavaScript" },
  { js: true, mode: "with JavaScript" },
];

/** The header's inbox link. */
function inbox(page: Page) {
  return page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: /^Inbox/ });
}

for (const { js, mode } of cases) {
  test.describe(mode, () => {
    test.use({ javaScriptEnabled: js });

    test(`invite, accept, talk, and block ${mode}`, async ({ person, researcher }) => {
      // Two accounts sign up and take a dozen steps each: more than the default 30 s.
      test.setTimeout(120_000);
      const stamp = unique();
      const ready = async (page: Page) => {
        if (js) await waitForHydration(page);
      };

      // B claims their record (works at an institution with a known web domain, so an address
      // there claims it at once) with an institutional address; each person on a machine of their own.
      const record = await researcher({ given: "Bea", works: 2, institution: true });
      const b = await person();
      const bErrors = collectErrors(b);
      const profile = record.path;
      await signUpAndLogIn(b, "Bea Owner", `bea-${stamp}@${record.institution!.domain}`, js, profile);
      await expect(b).toHaveURL(profile);
      await b.getByRole("link", { name: "Claim this author record" }).click();
      await ready(b);
      await b.getByRole("button", { name: "Claim with my institutional e-mail" }).click();
      await expect(b).toHaveURL(profile);
      await expect(b.getByRole("region", { name: "Direct collaboration" })).toContainText("invitations to you arrive in your inbox");

      // A invites B about one of B's works.
      const a = await person();
      const aErrors = collectErrors(a);
      await signUpAndLogIn(a, "Ada Inviter", `ada-${stamp}@example.org`, js, profile);
      const panel = a.getByRole("region", { name: "Direct collaboration" });
      await panel.getByLabel("Subject").fill("Extending your results");
      await panel.getByLabel("Message").fill("I work on a related problem and would like to compare our methods on your data.");
      const work = await panel.getByLabel("About one of their works (optional)").locator("option").nth(1).textContent();
      await panel.getByLabel("About one of their works (optional)").selectOption({ index: 1 });
      await panel.getByRole("button", { name: "Send invitation" }).click();
      await expect(panel.getByRole("status")).toContainText("Invitation sent");
      await expect(panel).toContainText("waiting for an answer");
      await expect(panel.getByRole("button", { name: "Send invitation" })).toHaveCount(0);

      // B sees it counted in the header, and accepts it from the inbox.
      await b.goto("/");
      await expect(inbox(b)).toHaveText("Inbox (1)");
      await inbox(b).click();
      await ready(b);
      const invitation = b.getByRole("article", { name: "Invitation: Extending your results" });
      await expect(invitation).toContainText("New");
      await expect(invitation).toContainText(`About ${work}`);
      await invitation.getByLabel("Note with your answer (optional)").fill("Happy to talk.");
      await invitation.getByRole("button", { name: "Accept" }).click();
      await expect(b).toHaveURL(/\/conversations\/\d+$/);
      const conversation = new URL(b.url()).pathname;
      await expect(inbox(b)).toHaveText("Inbox");
      await ready(b);

      // They exchange messages; markup is shown as text.
      await b.getByLabel("Your message").fill("Hello Ada <script>window.owned = 1</script>");
      await b.getByRole("button", { name: "Send message" }).click();
      const messages = b.getByRole("list", { name: "Messages" });
      await expect(messages).toContainText("Hello Ada <script>window.owned = 1</script>");
      await expect(b.getByLabel("Your message")).toHaveValue("");

      await a.goto("/");
      await expect(inbox(a)).toHaveText("Inbox (2)"); // the acceptance and one message
      await inbox(a).click();
      await ready(a);
      const talk = a.getByRole("region", { name: /Conversations/ });
      await expect(talk).toContainText("1 unread");
      await talk.getByRole("link", { name: "Extending your results" }).click();
      await expect(a).toHaveURL(conversation);
      await ready(a);
      await expect(a.getByRole("list", { name: "Messages" })).toContainText("Hello Ada <script>window.owned = 1</script>");
      expect(await a.evaluate(() => (window as unknown as { owned?: number }).owned)).toBeUndefined();
      await a.getByLabel("Your message").fill("Thanks Bea, sending the data tomorrow.");
      await a.getByRole("button", { name: "Send message" }).click();
      await expect(a.getByRole("list", { name: "Messages" })).toContainText("sending the data tomorrow");
      await a.goto("/");
      await expect(inbox(a)).toHaveText("Inbox");

      await b.goto("/");
      await expect(inbox(b)).toHaveText("Inbox (1)");
      await b.goto(conversation);
      await ready(b);
      await expect(b.getByRole("list", { name: "Messages" })).toContainText("sending the data tomorrow");

      // B blocks A: the conversation closes and A can no longer invite B.
      await b.getByRole("button", { name: "Block Ada Inviter" }).click();
      await expect(b.getByText("You blocked Ada Inviter")).toBeVisible();
      await expect(b.getByRole("status")).toContainText("No new messages can be posted");
      await expect(b.getByLabel("Your message")).toHaveCount(0);

      await a.goto(profile);
      await expect(panel).toContainText("is not taking invitations from you");
      await expect(panel.getByRole("button", { name: "Send invitation" })).toHaveCount(0);
      await a.goto(conversation);
      await expect(a.getByLabel("Your message")).toHaveCount(0);

      expect(aErrors).toEqual([]);
      expect(bErrors).toEqual([]);
    });
  });
}
