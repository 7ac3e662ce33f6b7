// Shared bits of the browser tests: the `test` every spec imports (with its fixtures), the
// reference profile, waiting for hydration, and signing up.
//
// How the tests get their data, so that they run in parallel workers and in any order:
// - The web server starts on a fresh database (`serve --fresh`), which imports the reference
//   profile (Mor Shpigel Nacson: three works, co-authors, a topic, a research graph) from the seed
//   committed in this repository (tests/fixtures/arxiv-seed.jsonl) whether or not a data folder
//   (../shared/data, BZPEER_DATA_DIR) is beside the checkout. Tests only read it: none follows,
//   claims or edits it, so its counts are the seed's in every order.
// - A test that changes a record (follows it, claims it, invites its owner) makes its own with
//   the `researcher` fixture: a small OpenAlex works file with names and ids no other test uses,
//   written to the test's output folder and imported by the server's own command line
//   (`server import openalex-works`) into the web server's database. The slug comes back as the
//   importer makes it, so the test can go straight to the profile.
// - Every page a test opens (`page`, and each `person`) comes from its own client address
//   (X-Forwarded-For, trusted by the test server), so the per-address sign-up and log-in limits
//   count that page's requests only. Accounts get addresses no other test uses (`unique`).
// Why records and not a database and server per worker: one server on one database keeps a run
// as cheap as before (one start, one demo import: seconds with the data folder), while a record
// a test made itself is as private as a database of its own; per-worker servers would multiply
// the start-up and the demo import, and make `workers` a property of the data.
import { test as base, expect, type Browser, type Page, type TestInfo } from "@playwright/test";
import { execFile } from "node:child_process";
import { createHash, randomInt } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { databaseName, serverBinary } from "../e2e-env";

export { expect };

export const REFERENCE_PATH = "/authors/mor-shpigel-nacson-arxiv-fb85d1b566";

/** A researcher record a test made for itself. */
export type Researcher = {
  name: string;
  slug: string;
  path: string;
  /** Titles of its works, newest first. */
  works: string[];
  /** The institution on its works, when asked for: an address at `domain` (or a subdomain) claims it. */
  institution?: { name: string; domain: string };
  /** With `circle`: the co-author on every work, and the co-author's own co-author (at an
   * institution of their own), whom the researcher has never written with. */
  circle?: { colleague: string; newcomer: Omit<Researcher, "works" | "circle"> };
};

export type ResearcherOptions = {
  /** Given name; a surname no other test uses is added. */
  given?: string;
  works?: number;
  /** Put the works at an institution with a web domain of its own. */
  institution?: boolean;
  /** Give every work a co-author, who also wrote one work with a newcomer (on the same topic). */
  circle?: boolean;
};

type Fixtures = {
  /** Imports a new researcher record that only this test knows. */
  researcher: (options?: ResearcherOptions) => Promise<Researcher>;
  /** A page for one more person, on a machine (client address) of their own. */
  person: (options?: { javaScriptEnabled?: boolean }) => Promise<Page>;
};

export const test = base.extend<Fixtures>({
  // Every context the `page` fixture makes has a client address of its own.
  extraHTTPHeaders: async ({ extraHTTPHeaders }, use) => {
    await use({ "X-Forwarded-For": clientAddress(), ...extraHTTPHeaders });
  },
  researcher: async ({}, use, testInfo) => {
    await use((options) => importResearcher(testInfo, options ?? {}));
  },
  person: async ({ browser, javaScriptEnabled }, use) => {
    const contexts: Awaited<ReturnType<Browser["newContext"]>>[] = [];
    await use(async (options) => {
      const context = await browser.newContext({
        javaScriptEnabled: options?.javaScriptEnabled ?? javaScriptEnabled,
        extraHTTPHeaders: { "X-Forwarded-For": clientAddress() },
      });
      contexts.push(context);
      return context.newPage();
    });
    await Promise.all(contexts.map((context) => context.close()));
  },
});

let addresses = 0;

/** 10.<worker>.<n>: no two pages of a run share an address (a restarted worker has a new index). */
function clientAddress() {
  const worker = Number(process.env.TEST_WORKER_INDEX ?? 0);
  const n = addresses++;
  return `10.${worker % 256}.${(n >> 8) % 256}.${n % 256}`;
}

let tags = 0;

/** Lower-case letters no other test of this run uses (the worker, a counter and a random tail). */
export function unique() {
  const letters = (n: number, width: number) =>
    Array.from({ length: width }, (_, i) => String.fromCharCode(97 + (Math.floor(n / 26 ** i) % 26))).join("");
  return letters(Number(process.env.TEST_WORKER_INDEX ?? 0), 2) + letters(tags++, 2) + letters(randomInt(26 ** 4), 4);
}

/** `/authors/<slug>` as the importer writes it for an OpenAlex author (`domain::slug::author_slug`). */
export function openAlexAuthorSlug(name: string, openAlexId: string) {
  const words = name.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).join("-");
  const hash = createHash("sha1").update(openAlexId.toLowerCase()).digest("hex").slice(0, 10);
  return `${words}-openalex-${hash}`;
}

/** An OpenAlex id of `kind` (W, A, I) that no other test uses. */
function openAlexId(kind: string) {
  return `${kind}9${String(randomInt(10 ** 11)).padStart(11, "0")}`;
}

function capitalised(word: string) {
  return word[0].toUpperCase() + word.slice(1);
}

/** Writes one researcher's works as an OpenAlex works file and imports it. */
async function importResearcher(testInfo: TestInfo, options: ResearcherOptions): Promise<Researcher> {
  const tag = unique();
  const name = `${options.given ?? "Robin"} Fixture${capitalised(tag)}`;
  const author = openAlexId("A");
  const institution = options.institution
    ? { id: openAlexId("I"), name: `University of Fixture ${capitalised(tag)}`, domain: `${tag}.example.edu` }
    : undefined;
  const count = options.works ?? 1;
  const works = Array.from({ length: count }, (_, i) => ({
    id: `https://openalex.org/${openAlexId("W")}`,
    title: `Fixture study ${i + 1} of ${capitalised(tag)}: records that no other test reads`,
    publication_year: 2024,
    // Older works are cited more: "most cited" reverses "newest".
    cited_by_count: i * 7,
    // Newest first on the profile: the first work is the latest.
    publication_date: `2024-${String(12 - (i % 12)).padStart(2, "0")}-01`,
    primary_location: { is_oa: true, source: { display_name: "Journal of Browser Tests" } },
    abstract_inverted_index: { A: [0], work: [1], made: [2], for: [3], one: [4], "test.": [5] },
    authorships: [
      {
        author_position: "first",
        author: { id: `https://openalex.org/${author}`, display_name: name, orcid: null },
        institutions: institution
          ? [{
              id: `https://openalex.org/${institution.id}`,
              display_name: institution.name,
              homepage_url: `https://www.${institution.domain}/`,
              country_code: "GB",
              type: "education",
            }]
          : [],
        raw_author_name: name,
      },
    ],
    type: "article",
  }));
  const circle = options.circle ? circleOf(tag, works) : undefined;
  const file = testInfo.outputPath(`researcher-${tag}.json`);
  await writeFile(file, JSON.stringify([...works, ...(circle?.works ?? [])], null, 1));
  await runServer(["import", "openalex-works", file]);
  const slug = openAlexAuthorSlug(name, author);
  return {
    name,
    slug,
    path: `/authors/${slug}`,
    works: works.map((work) => work.title),
    institution: institution && { name: institution.name, domain: institution.domain },
    circle: circle?.circle,
  };
}

/** A colleague added to each of `works` (mutated), on a topic of their own, and one more work:
 * the colleague with a newcomer at an institution of their own. */
function circleOf(tag: string, works: Record<string, unknown>[]) {
  const topic = { id: `https://openalex.org/${openAlexId("T")}`, display_name: `Fixture topic ${capitalised(tag)}`, score: 0.9 };
  const colleague = { id: openAlexId("A"), name: `Cole Fixture${capitalised(tag)}` };
  const newcomer = { id: openAlexId("A"), name: `Nia Fixture${capitalised(tag)}` };
  const institution = { id: openAlexId("I"), name: `Newcomer Institute ${capitalised(tag)}`, domain: `n${tag}.example.edu` };
  const authorship = (who: { id: string; name: string }, institutions: unknown[] = []) => ({
    author_position: "middle",
    author: { id: `https://openalex.org/${who.id}`, display_name: who.name, orcid: null },
    institutions,
    raw_author_name: who.name,
  });
  for (const work of works) {
    (work.authorships as unknown[]).push(authorship(colleague));
    work.topics = [topic];
  }
  const theirs = {
    ...works[0],
    id: `https://openalex.org/${openAlexId("W")}`,
    title: `Fixture study of ${capitalised(tag)}'s colleague and a newcomer`,
    authorships: [
      authorship(colleague),
      authorship(newcomer, [{
        id: `https://openalex.org/${institution.id}`,
        display_name: institution.name,
        homepage_url: `https://www.${institution.domain}/`,
        country_code: "GB",
        type: "education",
      }]),
    ],
    topics: [topic],
  };
  const slug = openAlexAuthorSlug(newcomer.name, newcomer.id);
  return {
    works: [theirs],
    circle: {
      colleague: colleague.name,
      newcomer: { name: newcomer.name, slug, path: `/authors/${slug}`, institution: { name: institution.name, domain: institution.domain } },
    },
  };
}

/**
 * Runs the server binary's command line (`import`, `user grant-moderator`) from the repository
 * root, as the config starts the server, on the same database.
 */
export async function runServer(args: string[]) {
  try {
    await promisify(execFile)(serverBinary, args, {
      cwd: join(__dirname, "..", ".."),
      env: { ...process.env, BZPEER_DATABASE_NAME: databaseName, RUST_LOG: "warn" },
    });
  } catch (error) {
    const failed = error as { stderr?: string; message: string };
    throw new Error(`server ${args.join(" ")} failed: ${failed.stderr || failed.message}`);
  }
}

/**
 * Clicks on an island before it hydrates do what they do without JavaScript: wait until every
 * island on the page says it is hydrated (`data-hydrated` on its root; a page without islands
 * has nothing to wait for).
 */
export async function waitForHydration(page: Page) {
  await page.waitForLoadState("load");
  await expect(page.locator("[data-island]:not([data-hydrated=true])")).toHaveCount(0);
}

/** Collects console errors and uncaught page errors, each with the address it happened on. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${message.text()} (on ${page.url()})`);
  });
  page.on("pageerror", (error) => errors.push(`${error.message} (on ${page.url()})`));
  return errors;
}

/** Signs up, verifies through the development outbox and logs in; lands on `next`. */
export async function signUpAndLogIn(page: Page, name: string, email: string, hydrated: boolean, next = "/") {
  const ready = async () => {
    if (hydrated) await waitForHydration(page);
  };
  await page.goto("/signup");
  await ready();
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
  await page.goto("/dev/outbox");
  const body = (await page.getByRole("article").filter({ hasText: `To ${email}` }).first().locator("pre").textContent()) ?? "";
  const link = new URL(body.match(/https?:\/\/\S+\/verify-email\?token=[\w-]+/)![0]);
  await page.goto(link.pathname + link.search);
  await ready();
  await page.getByLabel("The password you chose when you signed up").fill("correct horse battery");
  await page.getByRole("button", { name: "Verify my address" }).click();
  await expect(page.getByRole("status")).toContainText("Your e-mail address is verified");
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await ready();
  await page.getByLabel("E-mail address", { exact: true }).fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("navigation", { name: "Account" })).toContainText(name);
  await ready();
}
