import { test, expect, serverUrl } from './fixtures';
import type { Locator } from '@playwright/test';

const demo = (fixture: string) => `${serverUrl('OVERLAP_ISOLATED_URL')}?exp=timeline-demo&fixture=${fixture}`;

test.describe('timeline fixtures', () => {
  test.use({ viewport: { width: 1000, height: 700 }, deviceScaleFactor: 1 });

  test('the comparison fixture draws two runs, five lanes, and matches its picture', async ({ page }) => {
    await page.goto(demo('compare'));
    const canvas = page.getByTestId('timeline').locator('canvas');
    await expect(canvas).toHaveAttribute('data-runs', '2');
    await expect(canvas).toHaveAttribute('data-lanes', '5');
    await expect(canvas).toHaveAttribute(
      'aria-label',
      'Timeline of 2 runs on one time axis. 1. Sequential, 1 worker: 316 ms on 1 lane; 2. Threads, 4 workers: 86.0 ms on 4 lanes, 3.67x faster than 1. Sequential, 1 worker.',
    );
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

  test('the keyboard walks from span to span, with the tooltip and the highlight', async ({ page }) => {
    await page.goto(demo('compare'));
    const canvas = page.getByTestId('timeline').locator('canvas');
    const tooltip = page.getByTestId('timeline-tooltip');
    await canvas.focus();
    await page.keyboard.press(']');
    await expect(canvas).toHaveAttribute('data-focus', '0:0');
    await expect(tooltip).toHaveText('1. Sequential, 1 worker: task 0 on thread 1, running, from 0.00 ms for 40.0 ms');
    await page.keyboard.press(']');
    await page.keyboard.press(']');
    await expect(tooltip).toHaveText('1. Sequential, 1 worker: task 2 on thread 1, running, from 75.0 ms for 50.0 ms');
    await page.keyboard.press('[');
    await expect(tooltip).toContainText('task 1 on thread 1');
    // Down into the threads run: the span nearest in time (task 1 runs at
    // 35..75 ms sequentially; thread 1 of four runs task 0, then task 6 at 40 ms).
    await page.keyboard.press('ArrowDown');
    await expect(canvas).toHaveAttribute('data-focus', '1:1');
    await expect(tooltip).toHaveText('2. Threads, 4 workers: task 6 on thread 1, running, from 40.0 ms for 42.0 ms');
    await page.keyboard.press('Enter');
    await expect(canvas).toHaveAttribute('data-highlight-task', '6');
    await page.keyboard.press('Escape');
    await expect(canvas).toHaveAttribute('data-focus', '');
    await expect(canvas).toHaveAttribute('data-highlight-task', '');
    await expect(tooltip).toHaveCount(0);

    // Zoomed in on the start, stepping along the lane moves the view with the focus.
    for (let step = 0; step < 4; step++) await page.keyboard.press('+');
    await page.keyboard.press('0');
    for (let step = 0; step < 4; step++) await page.keyboard.press('+');
    await page.keyboard.press('ArrowLeft');
    for (let step = 0; step < 8; step++) await page.keyboard.press('ArrowLeft');
    for (let step = 0; step < 8; step++) await page.keyboard.press(']');
    await expect(tooltip).toContainText('task 7 on thread 1');
    const end = Number(await canvas.getAttribute('data-view-end'));
    expect(end).toBeGreaterThanOrEqual(316);
  });

  test('the data table holds every span of every run', async ({ page }) => {
    await page.goto(demo('compare'));
    await expect(page.getByTestId('span-table')).toHaveCount(0);
    await page.getByTestId('show-table').click();
    await expect(page.getByTestId('show-table')).toHaveAttribute('aria-pressed', 'true');
    const tables = page.getByTestId('span-table');
    await expect(tables).toHaveCount(2);
    await expect(tables.nth(0).locator('caption')).toHaveText('1. Sequential, 1 worker: 8 spans');
    await expect(tables.nth(1).getByTestId('span-row')).toHaveCount(8);
    await expect(tables.nth(1).getByTestId('span-row').first()).toContainText('thread 1');
  });

  test('the trace JSON of every run shown parses and holds every span', async ({ page }) => {
    await page.goto(demo('fetch'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-trace').click()]);
    expect(download.suggestedFilename()).toBe('overlap-trace.json');
    const fs = await import('node:fs');
    const trace = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    const complete = trace.traceEvents.filter((event: { ph: string }) => event.ph === 'X');
    // Twelve requests, each waiting for its first byte then downloading.
    expect(complete).toHaveLength(24);
    expect(new Set(complete.map((event: { args: { task: number } }) => event.args.task)).size).toBe(12);
    const names = trace.traceEvents.filter((event: { name: string }) => event.name === 'process_name');
    expect(names.map((event: { args: { name: string } }) => event.args.name)).toEqual(['1. Gather, 12 requests']);
  });

  test('two pointers pinch to zoom about their middle', async ({ page }) => {
    await page.goto(demo('compare'));
    const canvas = page.getByTestId('timeline').locator('canvas');
    const box = await canvas.boundingBox();
    if (!box) throw new Error('the timeline has no box');
    const y = box.y + 50;
    const middle = box.x + 96 + 300;
    const pointer = (type: string, pointerId: number, x: number) =>
      canvas.dispatchEvent(type, { pointerId, pointerType: 'touch', isPrimary: pointerId === 1, clientX: x, clientY: y, bubbles: true });
    // One finger stays at 250 px into the plot; the other moves away to
    // twice the distance, in two steps.
    await pointer('pointerdown', 1, middle - 50);
    await pointer('pointerdown', 2, middle + 50);
    await pointer('pointermove', 2, middle + 100);
    await pointer('pointermove', 2, middle + 150);
    await pointer('pointerup', 2, middle + 150);
    await pointer('pointerup', 1, middle - 50);
    const start = Number(await canvas.getAttribute('data-view-start'));
    const end = Number(await canvas.getAttribute('data-view-end'));
    // Twice the distance: the view shows half the time.
    expect(end - start).toBeCloseTo(316 / 2, 6);
    // The time under the finger that stayed is still under it.
    const plotWidth = box.width - 96 - 8;
    expect(start + (250 / plotWidth) * (end - start)).toBeCloseTo((250 / plotWidth) * 316, 6);
  });

  test('a dark system theme draws the canvas dark, and follows a change live', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(demo('compare'));
    const canvas = page.getByTestId('timeline').locator('canvas');
    // Read through a copy made for reading: reading the page's own canvas
    // again and again makes Chromium suggest `willReadFrequently` on the
    // console, about the test's reads, not the page's drawing.
    const corner = (target: Locator) =>
      target.evaluate((element) => {
        const copy = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
        copy.drawImage(element as HTMLCanvasElement, 0, 0);
        return Array.from(copy.getImageData(2, 2, 1, 1).data);
      });
    await expect.poll(() => corner(canvas)).toEqual([255, 255, 255, 255]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => corner(canvas)).toEqual([0x11, 0x18, 0x27, 255]);
  });

  test('100,000 spans draw and zoom', async ({ page }) => {
    await page.goto(demo('spans-100k'));
    const canvas = page.getByTestId('timeline').locator('canvas');
    await expect(canvas).toHaveAttribute('data-lanes', '8');
    await canvas.focus();
    await page.keyboard.press('+');
    const start = Number(await canvas.getAttribute('data-view-start'));
    const end = Number(await canvas.getAttribute('data-view-end'));
    await page.keyboard.press('0');
    expect((end - start) * 1.5).toBeCloseTo(Number(await canvas.getAttribute('data-view-end')), 3);
  });
});
