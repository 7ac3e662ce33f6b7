// Every screen: each page kind at phone, tablet and desktop widths (no sideways scrolling, a
// compact header and 44 px targets on phones), axe-core in the light and dark schemes, a
// profile printed, and screenshots kept with the run's results for a person to look at.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { test, expect, REFERENCE_PATH, signUpAndLogIn, unique, waitForHydration } from "./support";

const SLUG = REFERENCE_PATH.split("/").pop()!;
const WORK = "On the Implicit Bias of Initialization Shape: Beyond Infinitesimal Mirror Descent";

/** Every public page kind, by how a visitor reaches it. */
const PAGES: [string, (page: Page) => Promise<void>][] = [
  ["home", async (page) => { await page.goto("/"); }],
  ["search", async (page) => { await page.goto("/search?q=gradient+descent"); }],
  ["profile", async (page) => { await page.goto(REFERENCE_PATH); }],
  ["work", async (page) => {
    await page.goto(REFERENCE_PATH);
    await page.goto((await page.getByRole("link", { name: WORK }).first().getAttribute("href"))!);
  }],
  ["topic", async (page) => {
    await page.goto(REFERENCE_PATH);
    await page.goto((await page.locator("a[href^='/topics/']").first().getAttribute("href"))!);
  }],
  ["explorer", async (page) => { await page.goto(`/explore?focus=${SLUG}`); }],
  ["suggestions", async (page) => { await page.goto(`${REFERENCE_PATH}/suggestions`); }],
  ["login", async (page) => { await page.goto("/login"); }],
  ["signup", async (page) => { await page.goto("/signup"); }],
  ["trust", async (page) => { await page.goto("/about/trust"); }],
  ["forgotten password", async (page) => { await page.goto("/forgot-password"); }],
];

const WIDTHS = [320, 390, 768, 1440, 1600];

/** Controls smaller than 44 x 44 px on screen, leaving out links inside running text (WCAG's
 * inline exception) and the graph's SVG nodes (each is also a link in the list beside it). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const small: string[] = [];
    const controls = document.querySelectorAll<HTMLElement>("a[href], button, input:not([type=hidden]), select, textarea, summary");
    for (const el of controls) {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (box.width === 0 || box.height === 0 || style.visibility === "hidden" || box.bottom < 0) continue;
      if (el.closest("svg")) continue;
      if (el.tagName === "A" && style.display === "inline") {
        const block = el.parentElement;
        const own = (el.textContent ?? "").trim();
        if (block && (block.textContent ?? "").trim().length > own.length) continue;
      }
      if (box.width < 44 || box.height < 44) {
        small.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute("aria-label") || el.getAttribute("name") || "").trim().slice(0, 40)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
      }
    }
    return small;
  });
}

for (const width of WIDTHS) {
  test.describe(`${width} px wide`, () => {
    test.use({ viewport: { width, height: width < 768 ? 844 : 900 } });

    for (const [kind, open] of PAGES) {
      test(`the ${kind} page fits`, async ({ page }, testInfo) => {
        await open(page);
        await expect(page.locator("main").first()).toBeVisible();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, "no sideways scrolling").toBeLessThanOrEqual(0);
        if (width < 768) {
          const header = (await page.locator("header.site-header").boundingBox())!;
          expect(header.height, "a compact header").toBeLessThanOrEqual(120);
          expect(await smallTargets(page), "44 x 44 px targets").toEqual([]);
        }
        if (["profile", "work", "explorer"].includes(kind) && (width === 390 || width === 1440)) {
          // Kept in test-results/ (not compared pixel by pixel) for a person to look at.
          const path = testInfo.outputPath(`${kind}-${width}.png`);
          await page.screenshot({ path, fullPage: true });
          await testInfo.attach(`${kind}-${width}.png`, { path, contentType: "image/png" });
        }
      });
    }
  });
}

/** The pages of a signed-in account. */
const ACCOUNT_PAGES = ["/me/inbox", "/me/following", "/me/settings", "/me/suggestions"];

async function signedIn(page: Page) {
  const id = unique();
  await signUpAndLogIn(page, `Screen Tester ${id}`, `screens-${id}@example.org`, false);
}

for (const width of WIDTHS) {
  test.describe(`${width} px wide, signed in`, () => {
    test.use({ viewport: { width, height: width < 768 ? 844 : 900 } });

    test("the account pages fit", async ({ page }, testInfo) => {
      await signedIn(page);
      for (const path of ACCOUNT_PAGES) {
        await page.goto(path);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `no sideways scrolling on ${path}`).toBeLessThanOrEqual(0);
        if (width < 768) {
          const header = (await page.locator("header.site-header").boundingBox())!;
          expect(header.height, `a compact header on ${path}`).toBeLessThanOrEqual(120);
          expect(await smallTargets(page), `44 x 44 px targets on ${path}`).toEqual([]);
        }
      }
      if (width === 390 || width === 1440) {
        await page.goto("/me/inbox");
        const path = testInfo.outputPath(`inbox-${width}.png`);
        await page.screenshot({ path, fullPage: true });
        await testInfo.attach(`inbox-${width}.png`, { path, contentType: "image/png" });
      }
    });
  });
}

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`${colorScheme} scheme`, () => {
    test.use({ colorScheme });

    for (const [kind, open] of PAGES) {
      test(`the ${kind} page has no serious accessibility violation`, async ({ page }) => {
        await open(page);
        const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
        const serious = results.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        expect(serious).toEqual([]);
      });
    }

    test("the account pages have no serious accessibility violation", async ({ page }) => {
      await signedIn(page);
      for (const path of ACCOUNT_PAGES) {
        await page.goto(path);
        const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
        const serious = results.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${path} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        expect(serious).toEqual([]);
      }
    });
  });
}

test("a printed profile shows every work and no form control", async ({ page }) => {
  await page.goto(REFERENCE_PATH);
  await page.emulateMedia({ media: "print" });
  for (const control of await page.locator("form, button, input, select, textarea, canvas").all()) {
    await expect(control).toBeHidden();
  }
  await expect(page.locator("header.site-header")).toBeHidden();
  const works = page.getByRole("region", { name: "Published work" }).getByRole("heading", { level: 3 });
  await expect(works).toHaveCount(3);
  await expect(page.getByRole("group", { name: "Research graph around Mor Shpigel Nacson" })).toBeVisible();
});

for (const javaScriptEnabled of [true, false]) {
  test(`a record of more works than a page prints them all from its one-page list (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({ person, researcher }) => {
    const page = await person({ javaScriptEnabled });
    const record = await researcher({ given: "Pat", works: 45 });
    await page.goto(record.path);
    const section = page.getByRole("region", { name: "Published work" });
    await expect(section.getByRole("article")).toHaveCount(20);
    // A printed page of the paged list says where the whole list is.
    await page.emulateMedia({ media: "print" });
    const onePage = section.getByRole("link", { name: "All 45 works on one page, to print" });
    await expect(onePage).toBeVisible();
    await expect(section.getByRole("navigation", { name: "More works" })).toBeHidden();
    // Clicked, not pressed: each link leads to `#works-heading`, and Chromium clears the focus when
    // it scrolls to a fragment that cannot take it, which may land between a key press's focus
    // and its key while the page loads. (The keyboard journeys below Tab to each link first.)
    await page.emulateMedia({ media: "screen" });
    await onePage.click();
    await expect(page).toHaveURL(/works=all/);
    await page.emulateMedia({ media: "print" });
    await expect(section.getByRole("article")).toHaveCount(45);
    const titles = await section.getByRole("heading", { level: 3 }).allTextContents();
    expect(new Set(titles.map((t) => t.match(/Fixture study (\d+) of/)?.[1])).size).toBe(45);
    for (const control of await page.locator("form, button, input, select, textarea, canvas").all()) {
      await expect(control).toBeHidden();
    }
    // Sorting keeps the one-page list.
    await page.emulateMedia({ media: "screen" });
    await section.getByRole("link", { name: "Most cited" }).click();
    await expect(page).toHaveURL(/works=all.*sort=cited|sort=cited.*works=all/);
    await expect(section.getByRole("article")).toHaveCount(45);
    await expect(section.getByRole("heading", { level: 3 }).first()).toHaveText(/Fixture study 45 of/);
    await section.getByRole("link", { name: "Show the works a page at a time" }).click();
    await expect(page).not.toHaveURL(/works=all/);
    await expect(section.getByRole("article")).toHaveCount(20);
  });
}

/** Presses Tab until `target` has the focus (at most 60 times), then checks it has. */
async function tabTo(page: Page, target: ReturnType<Page["locator"]>) {
  for (let i = 0; i < 60 && !(await target.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press("Tab");
  }
  await expect(target).toBeFocused();
}

test("a printed work page shows its authors and no form control", async ({ page }) => {
  await page.goto(REFERENCE_PATH);
  await page.goto((await page.getByRole("link", { name: WORK }).first().getAttribute("href"))!);
  await page.emulateMedia({ media: "print" });
  for (const control of await page.locator("form, button, input, select, textarea, canvas").all()) {
    await expect(control).toBeHidden();
  }
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(WORK);
  await expect(page.getByRole("list", { name: "Authors in byline order" }).getByRole("link")).toHaveCount(7);
});

test("less motion asked for: no transition anywhere", async ({ page }) => {
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.goto(REFERENCE_PATH);
  const moving = await page.evaluate(() =>
    [...document.querySelectorAll("*")].filter((el) => {
      const style = getComputedStyle(el);
      return style.transitionDuration.split(",").some((d) => parseFloat(d) > 0) || style.animationName !== "none";
    }).length,
  );
  expect(moving).toBe(0);
});

/** Signs up, verifies through the development outbox and logs in, typing and pressing keys only
 * (the outbox and the mailed link are opened by address, as a person pastes a link); lands on `next`. */
async function keyboardSignUp(page: Page, name: string, email: string, next = "/") {
  await page.goto("/signup");
  await tabTo(page, page.getByLabel("Display name"));
  await page.keyboard.type(name);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("E-mail address")).toBeFocused();
  await page.keyboard.type(email);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.type("correct horse battery");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();

  await page.goto("/dev/outbox");
  const body = (await page.getByRole("article").filter({ hasText: `To ${email}` }).first().locator("pre").textContent()) ?? "";
  const link = new URL(body.match(/https?:\/\/\S+\/verify-email\?token=[\w-]+/)![0]);
  await page.goto(link.pathname + link.search);
  await tabTo(page, page.getByLabel("The password you chose when you signed up"));
  await page.keyboard.type("correct horse battery");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toContainText("Your e-mail address is verified");

  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await tabTo(page, page.getByLabel("E-mail address", { exact: true }));
  await page.keyboard.type(email);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.type("correct horse battery");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("navigation", { name: "Account" })).toContainText(name);
}

test.describe("keyboard alone", () => {
  test("sign up, verify and log in by keyboard", async ({ page }) => {
    await keyboardSignUp(page, "Kay Board", `keys-${unique()}@example.org`);
  });

  test("Skip to content is the first stop and lands on the page's content", async ({ page }) => {
    await page.goto(REFERENCE_PATH);
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press("Enter");
    await expect(page.locator("#content")).toBeFocused();
    await page.keyboard.press("Tab");
    // The next stop is inside the page, not the header.
    expect(await page.evaluate(() => !!document.activeElement?.closest("main"))).toBe(true);
  });

  test("follow and unfollow by keyboard; focus lands on the status each time", async ({ page, researcher }) => {
    const followed = await researcher({ given: "Kim" });
    await keyboardSignUp(page, "Kim Keys", `kim-${unique()}@example.org`, followed.path);
    await expect(page).toHaveURL(followed.path);
    await waitForHydration(page);
    const follow = page.getByRole("button", { name: /Follow researcher\s*0/ });
    for (let i = 0; i < 60 && !(await follow.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press("Tab");
    }
    await expect(follow).toBeFocused();
    await page.keyboard.press("Enter");
    const status = page.locator(".follow-box").getByRole("status");
    await expect(status).toHaveText("Following");
    await expect(status).toBeFocused();
    // The next Tab reaches the (new) Unfollow button; Space presses it.
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: /Unfollow\s*1/ })).toBeFocused();
    await page.keyboard.press("Space");
    await expect(status).toHaveText("No longer following");
    await expect(status).toBeFocused();
  });

  test("claim, invite, accept and reply by keyboard", async ({ person, researcher }) => {
    test.setTimeout(120_000);
    const stamp = unique();
    const press = async (page: Page, target: ReturnType<Page["locator"]>) => {
      await tabTo(page, target);
      await page.keyboard.press("Enter");
    };
    const typeIn = async (page: Page, target: ReturnType<Page["locator"]>, text: string) => {
      await tabTo(page, target);
      await page.keyboard.type(text);
    };
    // B claims their record with an address at its institution.
    const record = await researcher({ given: "Kei", works: 1, institution: true });
    const b = await person();
    await keyboardSignUp(b, "Kei Owner", `kei-${stamp}@${record.institution!.domain}`, record.path);
    await press(b, b.getByRole("link", { name: "Claim this author record" }));
    await waitForHydration(b);
    await press(b, b.getByRole("button", { name: "Claim with my institutional e-mail" }));
    await expect(b.getByRole("region", { name: "Direct collaboration" })).toContainText("invitations to you arrive in your inbox");

    // A invites B from B's profile.
    const a = await person();
    await keyboardSignUp(a, "Ari Keys", `ari-${stamp}@example.org`, record.path);
    await waitForHydration(a);
    const panel = a.getByRole("region", { name: "Direct collaboration" });
    await typeIn(a, panel.getByLabel("Subject"), "Working together");
    await typeIn(a, panel.getByLabel("Message"), "I would like to compare our methods on your data, by keyboard.");
    await press(a, panel.getByRole("button", { name: "Send invitation" }));
    await expect(panel.getByRole("status")).toContainText("Invitation sent");
    // The profile came back with focus on the panel where the change shows.
    await expect(a.locator("#collab-heading")).toBeFocused();

    // B accepts from the inbox and replies.
    await b.goto("/");
    await press(b, b.getByRole("navigation", { name: "Account" }).getByRole("link", { name: /^Inbox/ }));
    await waitForHydration(b);
    const invitation = b.getByRole("article", { name: "Invitation: Working together" });
    await press(b, invitation.getByRole("button", { name: "Accept" }));
    await expect(b).toHaveURL(/\/conversations\/\d+$/);
    await waitForHydration(b);
    await typeIn(b, b.getByLabel("Your message"), "Gladly: sending the data by keyboard.");
    await press(b, b.getByRole("button", { name: "Send message" }));
    await expect(b.getByRole("list", { name: "Messages" })).toContainText("sending the data by keyboard");
    // The page came back with the cursor in the (empty) reply box.
    await expect(b.getByLabel("Your message")).toBeFocused();
    await expect(b.getByLabel("Your message")).toHaveValue("");
  });

  test("search, then a profile, by keyboard", async ({ page }) => {
    await page.goto("/");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("Search researchers and works")).toBeFocused();
    await page.keyboard.type("Mor Shpigel Nacson");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/search\?q=Mor\+Shpigel\+Nacson/);
    const result = page.getByRole("region", { name: "Researchers" }).getByRole("link", { name: "Mor Shpigel Nacson" });
    for (let i = 0; i < 40 && !(await result.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press("Tab");
    }
    await expect(result).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(REFERENCE_PATH);
  });
});
