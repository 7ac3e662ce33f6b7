// `make size`: starts the release server given by --server / --site on a fresh database, loads each
// page kind in headless Chromium with JavaScript on and prints the wasm, JS and CSS it downloads
// from /pkg/ (raw, gzip, brotli), PASS/FAIL against ../size-budget.json, and the 20 largest items
// of the served wasm (twiggy). Writes the same as JSON to --out. A report: exits 0 over budget too.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { chromium } from "playwright-core";
import { conversation } from "./accounts.mjs";
import { serverArgs, startServer } from "./app_server.mjs";
import { CHROMIUM, PUBLIC_PAGES, checkBudgets, formatTable, measurePage } from "./pkg_bytes.mjs";

const args = serverArgs(3210);
const out = args.out ?? "target/size-report.json";

/** `twiggy top -n 20` on the served wasm or, when wasm-opt left it without names (every item reads
 *  `code[N]`, `data[N]`, ...), on the module rustc wrote, before wasm-bindgen and wasm-opt. */
function twiggyTop(site) {
  const served = readdirSync(join(site, "pkg")).filter((f) => f.endsWith(".wasm")).map((f) => join(site, "pkg", f));
  if (served.length === 0) return { note: "the site serves no wasm" };
  const run = (file) => execFileSync("twiggy", ["top", "-n", "20", file], { encoding: "utf8" });
  try {
    const top = run(served[0]);
    const items = top.split("\n").map((line) => line.split("┊ ")[2]?.trim()).filter((item) => item && !/^(\.\.\.|Σ)/.test(item));
    if (!items.every((item) => /^[a-z]+\[\d+\]$/.test(item))) return { file: served[0], which: "the served module", top };
    const early = join(dirname(site), "front/wasm32-unknown-unknown/wasm-release/frontend.wasm");
    if (!existsSync(early)) return { file: served[0], which: "the served module; its names are stripped", top };
    const which =
      "the module rustc wrote, before wasm-bindgen and wasm-opt: the served one has no names. Its sizes are " +
      "before wasm-opt -Oz, and its custom sections (function names, __wasm_bindgen_unstable) are not served";
    return { file: early, which, top: run(early) };
  } catch (error) {
    return { note: `twiggy failed (make twiggy installs it): ${error.message.split("\n")[0]}` };
  }
}

const server = await startServer({ ...args, database: "bzpeer_size" });
const browser = await chromium.launch(CHROMIUM);
try {
  const base = server.url;
  const { owner, path } = await conversation(browser, base);
  const pages = { ...PUBLIC_PAGES, inbox: "/me/inbox", conversation: path };
  const loggedIn = await owner.js();
  const results = {};
  for (const [name, url] of Object.entries(pages)) {
    const options = name === "inbox" || name === "conversation" ? loggedIn : {};
    results[name] = await measurePage(browser, base + url, options);
  }
  const budgets = checkBudgets(results);
  const twiggy = twiggyTop(args.site);

  console.log(`\nDownloads from /pkg/ per page (${args.server}, site ${args.site}, Chromium ${browser.version()})\n`);
  console.log(formatTable(results));
  console.log("\nBudget (end2end/size-budget.json):");
  for (const b of budgets) console.log(`  ${b.ok ? "PASS" : "FAIL"}  ${b.message}`);
  for (const [name, { files }] of Object.entries(results)) {
    const twice = files.filter((f) => f.fetches > 1).map((f) => f.path);
    if (twice.length) console.log(`  note: ${name} fetched ${twice.join(", ")} more than once (counted once)`);
  }
  console.log(`\nLargest wasm items: ${twiggy.note ?? `twiggy top -n 20 ${twiggy.file} (${twiggy.which})`}`);
  if (twiggy.top) console.log(twiggy.top);

  const report = { server: args.server, site: args.site, chromium: browser.version(), measuredAt: new Date().toISOString(), pages: results, budgets, twiggy };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2));
  console.log(`written: ${out}`);
} finally {
  await browser.close();
  await server.stop();
}
