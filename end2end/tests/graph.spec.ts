// The research graph: the server's SVG and list without JavaScript; the live canvas (drawing,
// zoom, click, keyboard) and the explorer's expand-and-share with it.
import { test, expect, REFERENCE_PATH, collectErrors, waitForHydration } from "./support";
import type { Page } from "@playwright/test";

const SLUG = REFERENCE_PATH.split("/").pop()!;

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the profile shows the graph as SVG and a list whose links work", async ({ page }) => {
    await page.goto(REFERENCE_PATH);
    const graph = page.getByRole("group", { name: "Research graph around Mor Shpigel Nacson" });
    await expect(graph).toBeVisible();
    await expect(graph.getByRole("link")).not.toHaveCount(0);
    await expect(page.locator("canvas")).toBeHidden();
    const neighbours = page.getByLabel("Neighbours in the graph");
    await expect(neighbours).toContainText("Daniel Soudry · 3 shared works");
    await graph.getByRole("link", { name: "Daniel Soudry, researcher" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Daniel Soudry");
    await page.goBack();
    await neighbours.getByRole("link", { name: "Nathan Srebro" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nathan Srebro");
  });

  test("the explorer expands a node by following a link", async ({ page }) => {
    await page.goto(`/explore?focus=${SLUG}`);
    await expect(page.getByRole("group", { name: "Research graph around Mor Shpigel Nacson" })).toBeVisible();
    await page.getByRole("link", { name: "Expand Daniel Soudry" }).click();
    await expect(page).toHaveURL(/expand=a:daniel-soudry/);
    await expect(page.getByText("Expanded: Daniel Soudry")).toBeVisible();
    await page.getByLabel("Add a node to the graph").fill("Hoffer");
    await page.getByRole("button", { name: "Search" }).last().click();
    await page.getByRole("link", { name: "Add Elad Hoffer to the graph" }).click();
    await expect(page).toHaveURL(/expand=a:daniel-soudry[^,&]*,a:elad-hoffer/);
  });
});

async function liveCanvas(page: Page) {
  await waitForHydration(page);
  const figure = page.locator("figure.graph[data-live]").first();
  await expect(figure).toHaveCount(1);
  return figure.locator("canvas");
}

/** Presses arrow keys until the announced node is no longer the focus. */
async function reachNeighbour(page: Page, start: string) {
  const live = page.locator("figure.graph p[aria-live]").first();
  for (const key of ["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp"]) {
    await page.keyboard.press(key);
    await page.waitForTimeout(150);
    const said = (await live.textContent()) ?? "";
    if (said && !said.startsWith(start) && !said.startsWith("No neighbour")) return said;
  }
  throw new Error("no arrow key reached a neighbour");
}

test.describe("with JavaScript", () => {
  test("the canvas draws, zooms, and opens a node by click", async ({ page }) => {
    const errors = collectErrors(page);
    await page.goto(REFERENCE_PATH);
    const canvas = await liveCanvas(page);
    await expect(page.getByRole("group", { name: "Research graph around Mor Shpigel Nacson" })).toBeHidden();
    const inked = await canvas.evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(500);
    const scale = Number(await canvas.getAttribute("data-scale"));
    await page.getByRole("button", { name: "Zoom in" }).click();
    await expect.poll(async () => Number(await canvas.getAttribute("data-scale"))).toBeGreaterThan(scale * 1.2);
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const zoomed = Number(await canvas.getAttribute("data-scale"));
    await page.mouse.wheel(0, 300);
    await expect.poll(async () => Number(await canvas.getAttribute("data-scale"))).toBeLessThan(zoomed);

    // Find a neighbour by keyboard, then click where it is drawn.
    await canvas.focus();
    const said = await reachNeighbour(page, "Mor Shpigel Nacson");
    const at = (await canvas.getAttribute("data-focus-at"))!.split(",").map(Number);
    await canvas.blur();
    const now = (await canvas.boundingBox())!; // focusing may have scrolled the page
    await page.mouse.click(now.x + at[0], now.y + at[1]);
    await expect(page).not.toHaveURL(REFERENCE_PATH);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(said.split(",")[0]);
    expect(errors).toEqual([]);
  });

  test("the explorer shows the graph on a whole-page canvas", async ({ page }) => {
    await page.goto(`/explore?focus=${SLUG}`);
    await liveCanvas(page);
    await page.screenshot({ path: "test-results/explorer.png" });
    await page.goto(REFERENCE_PATH);
    await liveCanvas(page);
    await page.getByRole("heading", { name: "Research graph" }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: "test-results/profile-graph.png" });
  });

  test("keyboard reaches a neighbour, announces it, and Enter opens it", async ({ page }) => {
    const errors = collectErrors(page);
    await page.goto(REFERENCE_PATH);
    await liveCanvas(page);
    await page.getByRole("link", { name: "Open full explorer" }).focus();
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Tab");
    // Tab lands in the graph (after the toolbar), which announces the focus.
    for (let i = 0; i < 12; i++) {
      if (await page.evaluate(() => document.activeElement?.tagName === "CANVAS")) break;
      await page.keyboard.press("Tab");
    }
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("CANVAS");
    await expect(page.locator("figure.graph p[aria-live]")).toContainText("Mor Shpigel Nacson, researcher");
    const said = await reachNeighbour(page, "Mor Shpigel Nacson");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1 })).toContainText(said.split(",")[0]);
    expect(errors).toEqual([]);
  });

  test("the explorer expands a node by keyboard and the address restores it", async ({ page, context }) => {
    const errors = collectErrors(page);
    await page.goto(`/explore?focus=${SLUG}`);
    const canvas = await liveCanvas(page);
    await canvas.focus();
    let said = await reachNeighbour(page, "Mor Shpigel Nacson");
    // Expand a researcher or a work (topics and institutions work too, but names are easier).
    for (let tries = 0; tries < 8 && !/researcher|work/.test(said.split(",")[1] ?? ""); tries++) {
      said = await reachNeighbour(page, said.split(",")[0]);
    }
    const name = said.split(",")[0];
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/expand=/);
    await expect(page.getByText(`Expanded: ${name}`)).toBeVisible();
    await liveCanvas(page);
    const shared = page.url();
    const other = await context.newPage();
    await other.goto(shared);
    await expect(other.getByText(`Expanded: ${name}`)).toBeVisible();
    await expect(other.getByLabel("Neighbours in the graph")).toBeVisible();
    expect(errors).toEqual([]);
  });
});
