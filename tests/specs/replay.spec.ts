import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, serverUrl } from './fixtures';

/** Presses "Download trace" and reads the file it saves. */
async function downloadTrace(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-trace').click()]);
  return readFileSync((await download.path()) ?? '', 'utf8');
}

/** Puts the replay's cursor at `atMs`, as dragging it there would. */
async function moveCursor(page: Page, atMs: number) {
  await page.getByTestId('replay-cursor').evaluate((input: HTMLInputElement, value) => {
    input.value = String(value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, atMs);
}

test('the replay cursor shows each lane at an instant, draws the runs as they stood, plays and steps with the keyboard', async ({ page }) => {
  // Twelve requests of 100 ms on six connections: each waits 90 ms for its
  // first byte, then downloads for 10 ms; the second six start at 100 ms.
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=timeline-demo&fixture=fetch`);
  await moveCursor(page, 50);
  const at = page.getByTestId('replay-at');
  await expect(at).toHaveAttribute('data-at-ms', /^(49|50)(\.\d+)?$/);
  const lanes = at.locator('li[data-lane]');
  await expect(lanes).toHaveCount(6);
  for (const lane of await lanes.all()) await expect(lane).toHaveAttribute('data-state', 'waiting');
  await expect(lanes.first()).toHaveText('slot 1: waiting, task 0');
  await expect(at.locator('section p')).toContainText('6 waiting');
  await moveCursor(page, 95);
  for (const lane of await lanes.all()) await expect(lane).toHaveAttribute('data-state', 'downloading');
  await expect(lanes.nth(5)).toHaveText('slot 6: downloading, task 5');

  // The keyboard moves it: End to the end, where every lane is idle.
  const cursor = page.getByTestId('replay-cursor');
  await cursor.focus();
  await page.keyboard.press('End');
  await expect(at).toHaveAttribute('data-at-ms', '200');
  for (const lane of await lanes.all()) await expect(lane).toHaveAttribute('data-state', 'idle');
  await expect(cursor).toHaveAttribute('aria-valuetext', 'at 200 ms');

  // Played at the runs' own pace from the start, it reaches the end by itself.
  await page.getByTestId('replay-speed').selectOption('2');
  await page.getByTestId('replay-play').click();
  await expect(page.getByTestId('replay-play')).toHaveAttribute('aria-pressed', 'false', { timeout: 5_000 });
  await expect(at).toHaveAttribute('data-at-ms', '200');
  await page.getByTestId('replay-clear').click();
  await expect(at).toHaveCount(0);
});

test('a saved trace reopened shows the same runs as recorded, and saved again it is the same file', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=timeline-demo&fixture=compare`);
  const saved = await downloadTrace(page);
  expect(JSON.parse(saved).otherData.overlap_runs).toMatch(/^[A-Za-z0-9_-]+$/);

  // A page with no runs of its own: the trace's runs are all it shows.
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=futures&scenario=map`);
  await expect(page.getByTestId('timeline')).toHaveCount(0);
  await page.getByTestId('open-trace').setInputFiles({ name: 'overlap-trace.json', mimeType: 'application/json', buffer: Buffer.from(saved) });
  await expect(page.getByTestId('recorded-status')).toHaveText('Showing 2 recorded runs from overlap-trace.json.');
  const canvas = page.locator('[data-testid="timeline"] canvas');
  await expect(canvas).toHaveAttribute('data-lanes', '5');
  await expect(canvas).toHaveAttribute('aria-label', /recorded: 2\. Threads, 4 workers: [\d.]+ ms on 4 lanes, [\d.]+x faster than recorded: 1\. Sequential/);
  // Every span, every name, to the bit: the same file again.
  expect(await downloadTrace(page)).toBe(saved);

  // A file that is not one of Overlap's traces: said, and the page goes on.
  await page.getByTestId('open-trace').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"traceEvents":[]}') });
  await expect(page.getByTestId('recorded-status')).toHaveText("notes.json could not be shown: it is not a record of Overlap's runs (version 1)");
  await expect(page.getByTestId('recorded-status')).toHaveAttribute('role', 'alert');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-row').first()).toHaveAttribute('data-outcome', 'complete', { timeout: 30_000 });
  await page.getByTestId('clear-recorded').click();
  await expect(canvas).toHaveAttribute('data-runs', '1');
});

test.describe('a trace named in the address', () => {
  // Playwright's routes see the page's requests only without the service worker.
  test.use({ serviceWorkers: 'block', allowedConsoleErrors: [/status of 404 \(Not Found\)/] });

test('trace= in the address loads a trace from the tutorial\'s server', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=timeline-demo&fixture=fetch`);
  const saved = await downloadTrace(page);
  await page.route('**/traces/lesson-1.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: saved }));
  await page.route('**/traces/missing.json', (route) => route.fulfill({ status: 404, body: 'no' }));
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=cpu&trace=traces/lesson-1.json`);
  await expect(page.getByTestId('recorded-status')).toHaveText('Showing the recorded run from traces/lesson-1.json.');
  await expect(page.locator('[data-testid="timeline"] canvas')).toHaveAttribute('data-lanes', '6');
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=cpu&trace=traces/missing.json`);
  await expect(page.getByTestId('recorded-status')).toHaveText('traces/missing.json could not be shown: the server answered 404');
});
});

test.describe('links', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('a #run= link shows exactly the runs it carries, not new ones; runs too big for a link say so', async ({ page, context }) => {
    // Three pages, one of them 10,000 spans packed: more than one page's time.
    test.setTimeout(120_000);
    await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=futures&scenario=callbacks&run=1`);
    await expect(page.getByTestId('run-row')).toHaveAttribute('data-outcome', 'complete', { timeout: 30_000 });
    const recorded = await downloadTrace(page);
    await page.getByTestId('copy-runs-link').click();
    await expect(page.getByTestId('copy-runs-link-status')).toHaveText('Copied: the link shows these runs as recorded, not new ones.');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(/\?exp=futures&scenario=callbacks#run=[A-Za-z0-9_-]+$/);

    const opened = await context.newPage();
    await opened.goto(link);
    await expect(opened.getByTestId('recorded-status')).toHaveText('Showing the recorded run from this link.');
    // No run of its own: the link's run, as recorded, is all there is.
    await expect(opened.getByTestId('run-row')).toHaveCount(0);
    expect(await downloadTrace(opened)).toBe(recorded);
    await opened.close();

    // Ten thousand spans do not fit in a link.
    await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=timeline-demo&fixture=spans-10k`);
    await page.getByTestId('copy-runs-link').click();
    await expect(page.getByTestId('copy-runs-link-status')).toContainText('more than a link carries (8 KB)');
  });
});

test('at the cursor, the deadlock page draws the wait-for graph as it stood then', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=deadlock&scenario=locks&run=1`);
  const row = page.getByTestId('run-row');
  await expect(row).toHaveAttribute('data-deadlocked-now', 'true', { timeout: 30_000 });
  // Let the cycle stand a while, then break it.
  const canvas = page.locator('[data-testid="timeline"] canvas');
  await expect.poll(async () => Number(await canvas.getAttribute('data-view-end')), { timeout: 10_000 }).toBeGreaterThan(600);
  await page.getByTestId('break').click();
  await expect(row).toHaveAttribute('data-outcome', 'complete', { timeout: 10_000 });
  // The cycle stood from about 100 ms until Break, after 600 ms.
  await moveCursor(page, 550);
  const graph = page.getByTestId('graphs-at-cursor').locator('figure');
  await expect(graph).toHaveAttribute('data-deadlocked', 'true');
  await expect(graph.locator('p code')).toHaveText('cycle: thread 1 → lock B → thread 2 → lock A → thread 1');
  await expect(graph.locator('.wait-edge.in-cycle')).toHaveCount(4);
  // At the end, broken, no one waits.
  await page.getByTestId('replay-cursor').focus();
  await page.keyboard.press('End');
  await expect(graph).toHaveAttribute('data-deadlocked', 'false');
  await expect(graph.locator('.wait-edge')).toHaveCount(0);
});
