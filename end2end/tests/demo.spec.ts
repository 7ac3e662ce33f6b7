// A clean clone's `make run`: no data folder, so the server draws a synthetic demo catalogue.
// The start page says so and leads to profiles with works, collaborators and a graph; search
// finds the made-up researchers. With and without JavaScript, on the second (demo) server.
import { test, expect } from "./support";
import { demoURL } from "../e2e-env";

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled });

    test("the demo start page leads to a profile with works, collaborators and a graph", async ({ page }) => {
      await page.goto(`${demoURL}/`);
      const notice = page.getByRole("complementary", { name: "Demo data" });
      await expect(notice).toContainText("works by researchers that BZPEER's generator made up");
      const start = page.getByRole("region", { name: "Start from Machine Learning" });
      const researchers = start.getByRole("listitem");
      await expect(researchers).toHaveCount(7);
      const second = researchers.nth(1).getByRole("link");
      const name = (await second.textContent())!.trim();
      await second.click();

      await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
      const snapshot = page.getByRole("region", { name: "Trust snapshot" });
      await expect(snapshot).toContainText(/[1-9]\d*\s*works/);
      await expect(snapshot).toContainText(/[1-9]\d*\s*close collaborators/);
      const works = page.getByRole("region", { name: "Published work" });
      await expect(works.getByRole("article").first()).toBeVisible();
      if (javaScriptEnabled) {
        await expect(page.locator("figure.graph[data-live] canvas").first()).toBeVisible();
      } else {
        const graph = page.getByRole("group", { name: `Research graph around ${name}` });
        await expect(graph.getByRole("link")).not.toHaveCount(0);
      }

      // Search finds the researcher by name, and the same profile opens from it.
      await page.goto(`${demoURL}/search?q=${encodeURIComponent(name)}`);
      await expect(page.getByRole("region", { name: "Researchers" }).getByRole("link", { name }).first()).toBeVisible();
      // The reference profile's real works are there too.
      await page.goto(`${demoURL}/search?q=Mor+Shpigel+Nacson`);
      await expect(page.getByRole("region", { name: "Researchers" }).getByRole("link", { name: "Mor Shpigel Nacson" })).toBeVisible();
    });
  });
}
