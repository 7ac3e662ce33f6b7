// Citations and Cite, with and without JavaScript: the record's chart with its table, the Cite
// control's BibTeX, and the export files a reference manager reads.
import { test, expect, REFERENCE_PATH } from "./support";

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled });

    test("the profile shows its citation figures, the chart and its table", async ({ page }) => {
      await page.goto(REFERENCE_PATH);
      const citations = page.getByRole("region", { name: "Citations" });
      await expect(citations.getByText("h-index")).toBeVisible();
      const chart = citations.getByRole("img", { name: /Citations and works per year/ });
      await expect(chart).toBeVisible();
      const table = citations.getByRole("table", { name: "Citations and works per year" });
      await expect(table).toBeVisible();
      await expect(table.getByRole("row")).not.toHaveCount(0);
      await expect(page.getByRole("link", { name: "BibTeX" })).toHaveAttribute("href", `${REFERENCE_PATH}.bib`);
    });

    test("sorting by most cited reorders the works and pages on in that order", async ({ page, researcher }) => {
      const robin = await researcher({ works: 3 });
      await page.goto(robin.path);
      const works = page.getByRole("region", { name: "Published work" }).getByRole("heading", { level: 3 });
      await expect(works.first()).toHaveText(robin.works[0]);
      await page.getByRole("navigation", { name: "Sort works" }).getByRole("link", { name: "Most cited" }).click();
      await expect(page).toHaveURL(/sort=cited/);
      await expect(works.first()).toHaveText(robin.works[2]);
      await expect(works.last()).toHaveText(robin.works[0]);
    });

    test("Cite on a work gives its BibTeX and the files", async ({ page, request, context }) => {
      await page.goto(REFERENCE_PATH);
      // From the works list: with JavaScript the graph's drawing (whose nodes link to the same
      // work) is hidden once the canvas takes over, which may land between finding a link and
      // clicking it.
      const works = page.getByRole("region", { name: "Published work" });
      await works.getByRole("link", { name: "Stochastic Gradient Descent on Separable Data" }).first().click();
      await expect(page.getByRole("heading", { level: 1 })).toContainText("Stochastic Gradient Descent");
      await page.getByText("Cite", { exact: true }).click();
      const bibtex = page.getByLabel("BibTeX");
      await expect(bibtex).toBeVisible();
      await expect(bibtex).toContainText("title = {{Stochastic Gradient Descent on Separable Data");
      const copy = page.getByRole("button", { name: "Copy BibTeX" });
      if (javaScriptEnabled) {
        await context.grantPermissions(["clipboard-read", "clipboard-write"]);
        await copy.click();
        await expect(page.getByRole("status").filter({ hasText: "BibTeX copied" })).toBeVisible();
        const copied = await page.evaluate(() => navigator.clipboard.readText());
        expect(copied).toContain("title = {{Stochastic Gradient Descent on Separable Data");
      } else {
        await expect(copy).toHaveCount(0);
      }
      const file = page.getByRole("link", { name: "RIS (.ris)" });
      const href = await file.getAttribute("href");
      const ris = await request.get(href!);
      expect(ris.headers()["content-type"]).toContain("application/x-research-info-systems");
      expect(await ris.text()).toMatch(/^TY  - /);
    });
  });
}
