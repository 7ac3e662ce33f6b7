// On a phone (390 x 844) the header stays compact: the search is one tap away and the
// researcher's name, the actions and the trust snapshot are on the first screen; the graph
// answers touch.
import { test, expect, REFERENCE_PATH, waitForHydration } from "./support";

test.use({ viewport: { width: 390, height: 844 } });

test("the phone header is compact and the profile starts on the first screen", async ({ page }) => {
  await page.goto(REFERENCE_PATH);
  const header = (await page.locator("header.site-header").boundingBox())!;
  expect(header.height).toBeLessThan(140);
  expect(header.width).toBeLessThanOrEqual(390);
  await expect(page.getByRole("search").first().getByRole("searchbox")).toBeInViewport();
  const name = (await page.getByRole("heading", { level: 1 }).boundingBox())!;
  expect(name.y + name.height).toBeLessThan(844);
});

test("a profile's first screen on a phone shows the actions and the trust snapshot", async ({ page }) => {
  await page.goto(REFERENCE_PATH);
  await expect(page.getByRole("heading", { level: 2, name: "Actions" })).toBeInViewport();
  await expect(page.getByRole("link", { name: /Follow researcher\s*0/ })).toBeInViewport();
  await expect(page.getByRole("heading", { level: 2, name: "Trust snapshot" })).toBeInViewport();
  await expect(page.getByRole("list", { name: "Trust" })).toBeInViewport();
});

test.describe("the graph by touch", () => {
  test.use({ hasTouch: true, isMobile: true });

  test("pinch zooms, a one-finger drag pans, and a tap opens a node", async ({ page }) => {
    await page.goto(REFERENCE_PATH);
    await waitForHydration(page);
    const canvas = page.locator("figure.graph[data-live] canvas").first();
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
    const touch = await page.context().newCDPSession(page);
    const fingers = (spread: number) => [{ x: cx - spread, y: cy, id: 1 }, { x: cx + spread, y: cy, id: 2 }];

    // Pinch out: two fingers move apart.
    const before = Number(await canvas.getAttribute("data-scale"));
    await touch.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: fingers(20) });
    for (const spread of [40, 60, 80]) {
      await touch.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: fingers(spread) });
    }
    await touch.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    await expect.poll(async () => Number(await canvas.getAttribute("data-scale"))).toBeGreaterThan(before * 1.5);

    // A node found by keyboard moves with a one-finger drag.
    await canvas.focus();
    await page.keyboard.press("ArrowRight");
    const at = async () => (await canvas.getAttribute("data-focus-at"))!.split(",").map(Number);
    await expect.poll(async () => (await canvas.getAttribute("data-focus-at")) ?? "").not.toBe("");
    // The node is measured once the canvas stands still: on a busy machine a late resize (the
    // page finishing its layout) refits the view, which moves every node, pan or no pan.
    let last = "";
    await expect
      .poll(
        async () => {
          const now = (await canvas.getAttribute("data-focus-at")) ?? "";
          const still = now === last;
          last = now;
          return still;
        },
        { intervals: [300] },
      )
      .toBe(true);
    const [x0, y0] = await at();
    const start = { x: box.x + 10, y: box.y + box.height - 10 };
    await touch.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [start] });
    await touch.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x: start.x + 30, y: start.y }] });
    await touch.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x: start.x + 60, y: start.y }] });
    await touch.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    await expect.poll(async () => (await at())[0] - x0).toBeGreaterThan(40);
    const [x1, y1] = await at();
    expect(Math.abs(y1 - y0)).toBeLessThan(10);

    // A tap on the node opens its page.
    const now = (await canvas.boundingBox())!;
    await page.touchscreen.tap(now.x + x1, now.y + y1);
    await expect(page).not.toHaveURL(REFERENCE_PATH);
  });
});
