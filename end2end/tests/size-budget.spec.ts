// The download budget (../size-budget.json): loads each page it names once, logged out, with
// JavaScript on, measures what it fetches from /pkg/ as `make size` does (../bench/pkg_bytes.mjs),
// and fails naming the page, the bytes measured and the budget.
import { test, expect } from "./support";
import { readFileSync } from "node:fs";
import { join } from "node:path";

type Budget = { page: string; measure: string; encoding: string; max: number };
type Line = Budget & { ok: boolean; message: string };

const budgets: Budget[] = JSON.parse(readFileSync(join(__dirname, "..", "size-budget.json"), "utf8")).budgets;
const pages = [...new Set(budgets.map((budget) => budget.page))];

test.describe("download budget", () => {
  // In one worker, in order: the pages are measured once (beforeAll), not once per worker.
  test.describe.configure({ mode: "default" });

  const results: Record<string, unknown> = {};
  let check: (results: Record<string, unknown>, budgets: Budget[]) => Line[];

  test.beforeAll(async ({ browser }, testInfo) => {
    // Imported when run: Playwright would compile a static import of an .mjs file to CommonJS.
    const measuring = await import("../bench/pkg_bytes.mjs");
    check = measuring.checkBudgets;
    for (const name of pages) {
      const path = measuring.PUBLIC_PAGES[name as keyof typeof measuring.PUBLIC_PAGES];
      results[name] = await measuring.measurePage(browser, testInfo.project.use.baseURL + path);
    }
  });

  for (const name of pages) {
    test(`the ${name} page stays within its download budget`, () => {
      const over = check(results, budgets.filter((budget) => budget.page === name)).filter((line) => !line.ok);
      expect(over.map((line) => line.message), `over budget (end2end/size-budget.json)`).toEqual([]);
    });
  }
});
