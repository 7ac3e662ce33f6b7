// `make bench-tti`: starts the release server given by --server / --site on a fresh database, logs
// one viewer in, then loads the reference profile --runs times (default 5) in headless Chromium
// with the CPU 4x slower, 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trips and no cache, and
// prints the medians of first contentful paint, the follow button's hydration and the bytes
// transferred, with PASS/FAIL for the profile's budget (../size-budget.json). A report: exits 0.
import { chromium } from "playwright-core";
import { person, signUpAndLogIn } from "./accounts.mjs";
import { serverArgs, startServer } from "./app_server.mjs";
import { CHROMIUM, PUBLIC_PAGES, PkgRecorder, checkBudgets, totals } from "./pkg_bytes.mjs";

// Islands mark their root once hydrated; the build before islands marked <html> once the whole
// page was. A page with a follow island waits for that island; one without, for <html>.
const FOLLOW_ISLAND = '[data-island="follow"]';
const WHOLE_PAGE = 'html[data-hydrated="true"]';
const NETWORK = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };
const CPU_SLOWDOWN = 4;

const args = serverArgs(3220);
const runs = Number(args.runs);

/** One load of `url` in a fresh context; times are milliseconds since navigation start. */
async function load(browser, url, options, throttled) {
  const context = await browser.newContext(options);
  try {
    const page = await context.newPage();
    const hydrated = new Promise((resolve) => page.exposeBinding("__bzpeerHydrated", (_, at, by) => resolve({ at, by })));
    await page.addInitScript(
      ([island, whole]) => {
        const observer = new MutationObserver(() => {
          const follow = document.querySelector(island);
          if (follow ? follow.dataset.hydrated !== "true" : !document.querySelector(whole)) return;
          observer.disconnect();
          window.__bzpeerHydrated(performance.now(), follow ? "follow island" : "whole page (html)");
        });
        observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-hydrated"] });
      },
      [FOLLOW_ISLAND, WHOLE_PAGE],
    );
    const cdp = await context.newCDPSession(page);
    let bytes = 0;
    cdp.on("Network.loadingFinished", (event) => (bytes += event.encodedDataLength));
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    if (throttled) {
      await cdp.send("Network.emulateNetworkConditions", NETWORK);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
    }
    let wasmEncoding = "none";
    page.on("response", (r) => r.url().endsWith(".wasm") && (wasmEncoding = r.headers()["content-encoding"] ?? "identity"));
    const recorder = new PkgRecorder(page);
    await page.goto(url, { waitUntil: "commit", timeout: 120_000 });
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no hydration marker (${FOLLOW_ISLAND}[data-hydrated="true"] or ${WHOLE_PAGE}) within 120 s`)), 120_000);
    });
    const { at, by } = await Promise.race([hydrated, timeout]).finally(() => clearTimeout(timer));
    const fcp = await page.evaluate(
      () =>
        new Promise((resolve) =>
          new PerformanceObserver((list, observer) => {
            const entry = list.getEntriesByName("first-contentful-paint")[0];
            if (entry) (observer.disconnect(), resolve(entry.startTime));
          }).observe({ type: "paint", buffered: true }),
        ),
    );
    await recorder.quiet(1000, 60_000);
    return { fcp, hydrated: at, by, bytes, wasmEncoding, totals: totals(await recorder.files()) };
  } finally {
    await context.close();
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const server = await startServer({ ...args, database: "bzpeer_tti" });
const browser = await chromium.launch(CHROMIUM);
try {
  const url = server.url + PUBLIC_PAGES.profile;
  const viewer = await person(browser, server.url, "198.51.100.71");
  await signUpAndLogIn(viewer.page, "Tia Viewer", `tia-${Date.now()}@example.org`);
  const options = await viewer.js();
  await load(browser, url, options, false); // warm-up: the server's first render, not counted
  const results = [];
  for (let i = 0; i < runs; i += 1) {
    results.push(await load(browser, url, options, true));
    console.log(`  load ${i + 1}: FCP ${results[i].fcp.toFixed(0)} ms, hydrated ${results[i].hydrated.toFixed(0)} ms, ${results[i].bytes} bytes`);
  }
  const row = (label, key, unit) =>
    `  ${label.padEnd(24)} ${median(results.map((r) => r[key])).toFixed(0).padStart(8)} ${unit}   (runs: ${results.map((r) => r[key].toFixed(0)).join(", ")})`;
  console.log(`\nTime to interactive: ${PUBLIC_PAGES.profile}, logged in, ${args.server}`);
  console.log(`CPU ${CPU_SLOWDOWN}x slower, 1.6 Mbit/s down, 750 kbit/s up, 150 ms RTT, cache off; median of ${runs} loads (Chromium ${browser.version()})`);
  console.log(row("first contentful paint", "fcp", "ms"));
  console.log(row("follow button hydrated", "hydrated", "ms"));
  console.log(row("bytes transferred", "bytes", "bytes"));
  console.log(`  hydration marker: ${results[0].by}; wasm content-encoding on the wire: ${results[0].wasmEncoding}`);
  for (const b of checkBudgets({ profile: results[0] }).filter((b) => b.page === "profile")) {
    console.log(`  ${b.ok ? "PASS" : "FAIL"}  ${b.message} (logged in, as loaded here)`);
  }
} finally {
  await browser.close();
  await server.stop();
}
