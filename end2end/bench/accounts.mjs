// People for the benchmarks (size.mjs, tti.mjs), driven through the pages without JavaScript as
// tests/support.ts (signUpAndLogIn) and tests/collaboration.spec.ts (claim, invite, accept) do.
// Each person has a browser context of their own and an X-Forwarded-For address of their own:
// sign-up and log-in are rate-limited per client address.

const PASSWORD = "correct horse battery";
const visible = (locator) => locator.first().waitFor({ timeout: 15_000 });

/** A person at `address`; `js()` gives context options for measuring with their cookies. */
export async function person(browser, baseURL, address) {
  const headers = { "X-Forwarded-For": address };
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false, extraHTTPHeaders: headers });
  const page = await context.newPage();
  const js = async () => ({ baseURL, extraHTTPHeaders: headers, storageState: await context.storageState() });
  return { page, js, close: () => context.close() };
}

/** Signs up, verifies through the development outbox and logs in. */
export async function signUpAndLogIn(page, name, email) {
  await page.goto("/signup");
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await visible(page.getByRole("heading", { name: "Check your e-mail" }));
  await page.goto("/dev/outbox");
  const mail = page.getByRole("article").filter({ hasText: `To ${email}` }).first().locator("pre");
  const link = new URL((await mail.textContent()).match(/https?:\/\/\S+\/verify-email\?token=[\w-]+/)[0]);
  await page.goto(link.pathname + link.search);
  await page.getByLabel("The password you chose when you signed up").fill(PASSWORD);
  await page.getByRole("button", { name: "Verify my address" }).click();
  await visible(page.getByRole("status").filter({ hasText: "Your e-mail address is verified" }));
  await page.goto("/login");
  await page.getByLabel("E-mail address", { exact: true }).fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await visible(page.getByRole("navigation", { name: "Account" }).filter({ hasText: name }));
}

/** Claims `slug` with an institutional address (the person signed up with one of its domain). */
export async function claim(page, slug) {
  await page.goto(`/authors/${slug}`);
  await page.getByRole("link", { name: "Claim this author record" }).click();
  await page.getByRole("button", { name: "Claim with my institutional e-mail" }).click();
  const panel = page.getByRole("region", { name: "Direct collaboration" });
  await visible(panel.filter({ hasText: "invitations to you arrive in your inbox" }));
}

export async function invite(page, slug, subject) {
  await page.goto(`/authors/${slug}`);
  const panel = page.getByRole("region", { name: "Direct collaboration" });
  await panel.getByLabel("Subject").fill(subject);
  await panel.getByLabel("Message").fill("I work on a related problem and would like to compare our methods on your data.");
  await panel.getByRole("button", { name: "Send invitation" }).click();
  await visible(panel.getByRole("status").filter({ hasText: "Invitation sent" }));
}

/** Accepts the invitation titled `subject` from the inbox; returns the conversation's path. */
export async function accept(page, subject) {
  await page.goto("/me/inbox");
  await page.getByRole("article", { name: `Invitation: ${subject}` }).getByRole("button", { name: "Accept" }).click();
  await page.waitForURL(/\/conversations\/\d+$/);
  return new URL(page.url()).pathname;
}

/** Two people and a conversation between them: B owns a claimed record, A invited B, B accepted. */
export async function conversation(browser, baseURL) {
  const stamp = Date.now();
  const record = "yinxing-xue-openalex-3a400709d1"; // its works place it at ustc.edu.cn
  const b = await person(browser, baseURL, "198.51.100.61");
  await signUpAndLogIn(b.page, "Bea Owner", `bea-${stamp}@ustc.edu.cn`);
  await claim(b.page, record);
  const a = await person(browser, baseURL, "198.51.100.62");
  await signUpAndLogIn(a.page, "Ada Inviter", `ada-${stamp}@example.org`);
  await invite(a.page, record, "Comparing our methods");
  const path = await accept(b.page, "Comparing our methods");
  await a.close();
  return { owner: b, path };
}
