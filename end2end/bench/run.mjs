// Runs the built graph benchmark page (`make bench-graph` builds it into the directory given as the first
// argument) in one headless Debian Chromium page, serves it from a local static server, and prints the report.
// Builds nothing. Exits 0 whether or not the targets are met; 1 only if the benchmark itself broke.

import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";
import { report } from "./report.mjs";

const root = process.argv[2] ?? new URL("../../target/bench-graph", import.meta.url).pathname;
const query = process.argv[3] ?? "";
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

const server = createServer(async (request, response) => {
  let path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
  if (path.endsWith("/")) path += "index.html";
  try {
    const body = await readFile(join(root, path));
    response.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
    response.end(body);
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const seen = new Set();
  page.on("console", (message) => {
    // Chromium repeats some warnings (e.g. about getImageData) on every call: print each once.
    if (!seen.has(message.text())) console.log(`  | ${message.text()}`);
    seen.add(message.text());
  });
  page.on("pageerror", (error) => console.log(`  | page error: ${error.message}`));
  await page.goto(`http://127.0.0.1:${server.address().port}/${query}`);
  await page.waitForFunction(() => window.benchResult, null, { timeout: 30 * 60_000, polling: 500 });
  const result = await page.evaluate(() => window.benchResult);
  if (result.error) {
    console.log(`benchmark failed in the page:\n${result.error}`);
    failed = true;
  } else {
    console.log(report(result, browser.version()));
  }
} finally {
  await browser.close();
  server.close();
}
process.exit(failed ? 1 : 0);
