// On a phone (390 x 844) the header stays compact: the search is one tap away and the
// researcher's name is on the first screen (the rest of phone layout is issue #18).
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
