// Direct collaboration in a real browser, with and without JavaScript: A invites B (who claimed
// their record) about one of B's works, B accepts, they exchange messages, the header's unread
// counts move, and once B blocks A, A can no longer invite B.
import { test, expect, type Browser, type Page } from "@playwright/test";
import { collectErrors, signUpAndLogIn, waitForHydration } from "./support";

test.describe.configure({ mode: "serial" });

// Records whose works OpenAlex places at an institution with a known web domain, so an address
// there claims them at once (and that no other spec claims).
const cases = [
  { js: false, mode: "without JavaScript", record: "yinxing-xue-openalex-3a400709d1", domain: "ustc.edu.cn" },
  { js: true, mode: "with JavaScript", record: "teshome-megersa-bekele-openalex-ae4a162881", domain: "dlut.edu.cn" },
];

/** The header's inbox link. */
function inbox(page: Page) {
  return page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: /^Inbox/ });
}

/** A page for one person, on their own machine: the sign-up and log-in limits count per address. */
function person(browser: Browser, js: boolean, address: string) {
  return browser.newPage({ javaScriptEnabled: js, extraHTTPHeaders: { "X-Forwarded-For": address } });
}

for (const { js, mode, record, domain } of cases) {
  test.describe(mode, () => {
    test(`invite, accept, talk, and block ${mode}`, async ({ browser }) => {
      // Two accounts sign up and take a dozen steps each: more than the default 30 s.
      test.setTimeout(120_000);
      const stamp = `${Date.now()}-${js ? "js" : "nojs"}`;
      const ready = async (page: Page) => {
        if (js) await waitForHydration(page);
      };

      // B claims their record with an institutional address.
      const b = await person(browser, js, `198.51.100.${js ? 21 : 11}`);
      const bErrors = collectErrors(b);
      const profile = `/authors/${record}`;
      await signUpAndLogIn(b, "Bea Owner", `bea-${stamp}@${domain}`, js, profile);
      await expect(b).toHaveURL(profile);
      await b.getByRole("link", { name: "Claim this author record" }).click();
      await ready(b);
      await b.getByRole("button", { name: "Claim with my institutional e-mail" }).click();
      await expect(b).toHaveURL(profile);
      await expect(b.getByRole("region", { name: "Direct collaboration" })).toContainText("invitations to you arrive in your inbox");

      // A invites B about one of B's works.
      const a = await person(browser, js, `198.51.100.${js ? 22 : 12}`);
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
