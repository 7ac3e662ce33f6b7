// What a page makes the browser download from /pkg/ (wasm, JS, CSS), and the budget it is held to
// (../size-budget.json). Shared by `make size` (size.mjs), `make bench-tti` (tti.mjs) and
// tests/size-budget.spec.ts, so the test and the reports measure alike. Raw bytes are the decoded
// bodies; gzip and brotli are computed here at maximum quality, whatever the server sends.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** Debian's Chromium with the browser tests' flags (../chromium.json; never a downloaded browser). */
const chromium = JSON.parse(readFileSync(new URL("../chromium.json", import.meta.url), "utf8"));
export const CHROMIUM = {
  executablePath: process.env.CHROMIUM ?? chromium.executablePath,
  headless: true,
  args: chromium.args,
};

export const REFERENCE_SLUG = "mor-shpigel-nacson-arxiv-fb85d1b566";

/** The page kinds anyone can open; inbox and conversation need a logged-in person (size.mjs). */
export const PUBLIC_PAGES = {
  home: "/",
  profile: `/authors/${REFERENCE_SLUG}`,
  explore: `/explore?focus=${REFERENCE_SLUG}`,
  search: "/search?q=gradient",
  login: "/login",
};

export const KINDS = ["wasm", "js", "css"];
export const ENCODINGS = ["raw", "gzip", "brotli"];

// Brotli at quality 11 takes seconds on a large wasm, and every page of the old build loads the same.
const known = new Map();

export function compressedSizes(body) {
  const hash = createHash("sha256").update(body).digest("hex");
  if (!known.has(hash)) known.set(hash, compress(body));
  return known.get(hash);
}

function compress(body) {
  return {
    raw: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
    brotli: brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }).length,
  };
}

function kindOf(path) {
  if (path.endsWith(".wasm")) return "wasm";
  if (/\.m?js$/.test(path)) return "js";
  if (path.endsWith(".css")) return "css";
  return "other";
}

/**
 * Records, from the moment it is made, every /pkg/ response of `page` (each URL once, with how
 * often it was fetched) and how many requests of any kind are in flight.
 */
export class PkgRecorder {
  #bodies = new Map();
  #fetches = new Map();
  #inflight = 0;
  #last = Date.now();
  /** The /pkg/ requests that failed: a page whose code is missing cannot be measured. */
  failed = [];

  constructor(page) {
    const end = () => ((this.#inflight = Math.max(0, this.#inflight - 1)), (this.#last = Date.now()));
    page.on("request", () => ((this.#inflight += 1), (this.#last = Date.now())));
    page.on("requestfinished", end);
    page.on("requestfailed", (request) => {
      end();
      const { pathname } = new URL(request.url());
      if (pathname.startsWith("/pkg/")) this.failed.push(`${pathname} failed: ${request.failure()?.errorText}`);
    });
    page.on("response", (response) => {
      const { pathname } = new URL(response.url());
      if (!pathname.startsWith("/pkg/")) return;
      if (!response.ok()) return this.failed.push(`${pathname} answered ${response.status()}`);
      this.#fetches.set(pathname, (this.#fetches.get(pathname) ?? 0) + 1);
      if (this.#bodies.has(pathname)) return;
      // A body the browser streamed into WebAssembly may be gone from DevTools: fetch it again.
      const body = response.body().catch(async () => (await page.context().request.get(response.url())).body());
      this.#bodies.set(pathname, body);
    });
  }

  /** How many /pkg/ responses so far. */
  get count() {
    return [...this.#fetches.values()].reduce((a, b) => a + b, 0);
  }

  /** Resolves once no request has been in flight for `quietMs` (or after `maxMs`). */
  async quiet(quietMs, maxMs = 30_000) {
    const deadline = Date.now() + maxMs;
    while (Date.now() < deadline && (this.#inflight > 0 || Date.now() - this.#last < quietMs)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The files, with raw, gzip and brotli sizes; throws when a /pkg/ request failed. */
  async files() {
    if (this.failed.length) throw new Error(`${this.failed.join(", ")} (do the server and the site root come from one build?)`);
    const list = [];
    for (const [path, body] of this.#bodies) {
      list.push({ path, kind: kindOf(path), fetches: this.#fetches.get(path), ...compressedSizes(await body) });
    }
    return list.sort((a, b) => a.path.localeCompare(b.path));
  }
}

/** Sums files per kind ({ wasm: {raw, gzip, brotli}, js: ..., css: ... }). */
export function totals(files) {
  const sum = Object.fromEntries(KINDS.map((kind) => [kind, { raw: 0, gzip: 0, brotli: 0 }]));
  for (const file of files) {
    if (!sum[file.kind]) continue;
    for (const encoding of ENCODINGS) sum[file.kind][encoding] += file[encoding];
  }
  return sum;
}

/** Waits for the browser's idle callback: islands start loading their code from one. */
export function browserIdle(page) {
  return page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => resolve(), { timeout: 3000 })));
}

/**
 * Loads `url` with JavaScript on, in a fresh context (so nothing comes from the cache), and
 * returns { path, files, totals } for what it fetched from /pkg/. Waits for the load event, then
 * for an idle callback and a quiet network until a round brings no new /pkg/ request.
 */
export async function measurePage(browser, url, contextOptions = {}, quietMs = 700) {
  const context = await browser.newContext(contextOptions);
  try {
    const page = await context.newPage();
    const recorder = new PkgRecorder(page);
    const response = await page.goto(url, { waitUntil: "load" });
    if (!response?.ok()) throw new Error(`${url} answered ${response?.status()}`);
    let before;
    do {
      before = recorder.count;
      await browserIdle(page);
      await recorder.quiet(quietMs);
    } while (recorder.count !== before);
    const list = await recorder.files();
    return { path: new URL(page.url()).pathname + new URL(page.url()).search, files: list, totals: totals(list) };
  } finally {
    await context.close();
  }
}

/** The budget lines: { page, measure: "wasm" | "js" | "css" | "wasm+js", encoding, max }. */
export function loadBudgets() {
  return JSON.parse(readFileSync(new URL("../size-budget.json", import.meta.url), "utf8")).budgets;
}

/** Each budget line with what was measured (null when the page was not measured) and ok. */
export function checkBudgets(results, budgets = loadBudgets()) {
  return budgets.map((budget) => {
    const result = results[budget.page];
    const measured = result
      ? budget.measure.split("+").reduce((sum, kind) => sum + result.totals[kind][budget.encoding], 0)
      : null;
    const ok = measured !== null && measured <= budget.max;
    const text = `${budget.page} page: ${budget.measure} from /pkg/ is ${measured ?? "not measured"} bytes ${budget.encoding}, budget ${budget.max}`;
    return { ...budget, measured, ok, message: ok || measured === null ? text : `${text} (over by ${measured - budget.max})` };
  });
}

const kb = (bytes) => (bytes === 0 ? "0" : (bytes / 1024).toFixed(1));

/** A fixed-width table: one row per page kind, KB (1024 bytes) raw / gzip / brotli per kind. */
export function formatTable(results) {
  const head = ["page", ...KINDS.map((k) => `${k} raw/gz/br`), "wasm+js br", "files"];
  const rows = Object.entries(results).map(([name, { totals: t, files }]) => [
    name,
    ...KINDS.map((kind) => ENCODINGS.map((e) => kb(t[kind][e])).join(" / ")),
    kb(t.wasm.brotli + t.js.brotli),
    String(files.length),
  ]);
  const widths = head.map((_, i) => Math.max(...[head, ...rows].map((row) => row[i].length)));
  const line = (row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  return [line(head), ...rows.map(line)].join("\n") + "\n(KB = 1024 bytes; gzip -9 and brotli -q 11 of the raw bodies)";
}
