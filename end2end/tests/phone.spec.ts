// On a phone (390 x 844) the header stays compact: the search is one tap away and the
// researcher's name, the actions and the trust snapshot are on the first screen.
import { test, expect, REFERENCE_PATH } from "./support";

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
