/**
 * The receipt preview (issue 10): the demo's printer has the abacus logo; the preview shows that
 * logo's own dots as an image, not a bracketed placeholder, and the text on the printer's grid.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { WATER, loginAs, sellOneForCash } from './till-steps';
import { inkCount } from '../../drivers/escpos/bitmap';
import { fitToWidth, parsePbm } from '../../drivers/escpos/pbm';

interface Drawn {
  width: number;
  height: number;
  ink: number;
  shownWidth: number;
  paperWidth: number;
  alt: string;
}

/** Run in the page (as source text: the e2e project has no DOM types): the logo <img>'s own pixels, counted. */
const READ_IMAGE = String.raw`(async () => {
  const img = document.querySelector('[data-testid="receipt-preview-logo"]');
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const context = canvas.getContext('2d');
  context.drawImage(img, 0, 0);
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  let ink = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] < 128) ink++;
  const box = img.getBoundingClientRect();
  const paper = img.closest('pre').getBoundingClientRect();
  return { width: img.naturalWidth, height: img.naturalHeight, ink, shownWidth: box.width, paperWidth: paper.width, alt: img.alt };
})()`;

test('after a sale the printed-receipt preview shows the store logo as an image of its dots', async ({ page, register }) => {
  // The demo printer is 80 mm (576 dots): the 360×120 abacus is printed as it is.
  const logo = fitToWidth(parsePbm(readFileSync(join(process.cwd(), 'assets', 'demo', 'logo.pbm'))), 576);
  await page.goto(register.url);
  await loginAs(page, 1, '1234');
  await sellOneForCash(page, WATER);

  const preview = page.getByTestId('receipt-preview');
  const image = preview.getByTestId('receipt-preview-logo');
  await expect(image).toBeVisible({ timeout: 20_000 });
  await expect(preview).not.toContainText('圖像');
  await expect(preview).toContainText('蒸餾水');
  const drawn = (await page.evaluate(READ_IMAGE)) as Drawn;
  expect(drawn).toMatchObject({ width: logo.width, height: logo.height, ink: inkCount(logo) });
  expect(drawn.alt).not.toBe('');
  // 30 of the paper's 42 columns, centred like on paper, never wider than the paper
  expect(drawn.shownWidth).toBeGreaterThan(drawn.paperWidth * 0.55);
  expect(drawn.shownWidth).toBeLessThan(drawn.paperWidth);
  await page.screenshot({ path: 'test-results/receipt-preview-logo.png' });
});
