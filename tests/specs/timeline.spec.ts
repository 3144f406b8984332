import { test, expect, serverUrl } from './fixtures';

const demo = (fixture: string) => `${serverUrl('OVERLAP_ISOLATED_URL')}?exp=timeline-demo&fixture=${fixture}`;

test.describe('timeline fixtures', () => {
  test.use({ viewport: { width: 1000, height: 700 }, deviceScaleFactor: 1 });

  test('the comparison fixture draws two runs, five lanes, and matches its picture', async ({ page }) => {
    await page.goto(demo('compare'));
    const canvas = page.getByTestId('timeline').locator('canvas');
    await expect(canvas).toHaveAttribute('data-runs', '2');
    await expect(canvas).toHaveAttribute('data-lanes', '5');
    await expect(canvas).toHaveAttribute('aria-label', /1\. Sequential, 1 worker: 316 ms on 1 lane; 2\. Threads, 4 workers: 86\.0 ms on 4 lanes/);
    await expect(canvas).toHaveScreenshot('timeline-compare.png');

    // Clicking task 0 in the sequential run highlights it in every run; a
    // second click clears it.
    await canvas.click({ position: { x: 96 + 5, y: 22 + 20 + 7 } });
    await expect(canvas).toHaveAttribute('data-highlight-task', '0');
    await canvas.click({ position: { x: 96 + 5, y: 22 + 20 + 7 } });
    await expect(canvas).toHaveAttribute('data-highlight-task', '');
  });

  test('10,000 spans draw, and zooming into them works', async ({ page }) => {
    await page.goto(demo('spans-10k'));
    const canvas = page.getByTestId('timeline').locator('canvas');
    await expect(canvas).toHaveAttribute('data-lanes', '8');
    await canvas.focus();
    for (let step = 0; step < 6; step++) await page.keyboard.press('+');
    const start = Number(await canvas.getAttribute('data-view-start'));
    const end = Number(await canvas.getAttribute('data-view-end'));
    await page.keyboard.press('0');
    const fullEnd = Number(await canvas.getAttribute('data-view-end'));
    // Six steps of 1.5x: the view shows 1/11.4 of the trace.
    expect((end - start) * Math.pow(1.5, 6)).toBeCloseTo(fullEnd, 3);
  });
});
