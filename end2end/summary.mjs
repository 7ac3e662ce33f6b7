// Prints the browser tests' closing line, `playwright: N passed, N failed`, from the JSON report,
// so a run that silently ran nothing cannot pass, after the shuffle seed that replays the order.
// Exits non-zero when any failed or none ran.
import { readFileSync } from "node:fs";

let report;
try {
  report = JSON.parse(readFileSync(new URL("./test-results/results.json", import.meta.url), "utf8"));
} catch (error) {
  console.log("playwright: 0 passed, 1 failed");
  console.error(`no Playwright report: ${error.message}`);
  process.exit(1);
}
const stats = report.stats ?? {};
const passed = (stats.expected ?? 0) + (stats.flaky ?? 0);
const failed = (stats.unexpected ?? 0) + (report.errors?.length ?? 0);
const skipped = stats.skipped ?? 0;
const seed = report.config?.metadata?.shuffleSeed;
if (seed) console.log(`playwright: tests shuffled with seed ${seed} (E2E_SEED=${seed} make browser-tests replays the order)`);
console.log(`playwright: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
