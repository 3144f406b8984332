import type { Page } from '@playwright/test';
import { test, expect, serverUrl, downloadResults } from './fixtures';

// A load test asks for 500s and meets 503s: the browser logs each one.
test.use({ allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of 5\d\d/] });

const loadPage = (query: string, server: 'OVERLAP_ISOLATED_URL' | 'OVERLAP_PLAIN_URL' = 'OVERLAP_ISOLATED_URL') =>
  `${serverUrl(server)}?exp=load&${query}`;

/** Every status row and error row of the report, as numbers. */
async function counts(page: Page): Promise<{ status: Record<string, number>; errors: Record<string, number> }> {
  const rows = async (testid: string, key: string) =>
    Object.fromEntries(
      await page.getByTestId(testid).evaluateAll((all, key) => all.map((row) => [(row as HTMLElement).dataset[key] ?? '', Number((row as HTMLElement).dataset.count)]), key),
    );
  return { status: await rows('status-row', 'status'), errors: await rows('error-row', 'kind') };
}

const report = (page: Page) => page.getByTestId('load-report');
const numberOf = async (page: Page, attribute: string) => Number(await report(page).getAttribute(attribute));

const FIGURES = ['requests', 'ok', 'status', 'errors', 'rps', 'mean_ms', 'max_minus_mean_ms', 'p50_ms', 'p90_ms', 'p99_ms', 'p999_ms', 'in_flight_mean', 'littles_law_ratio'];

test('100 closed users send 500 requests to /api/work: each counted once, the report and its files complete', async ({ page }) => {
  await page.goto(loadPage('model=closed&users=100&requests=500&target=work&cpu_ms=5&method=POST&body_bytes=1024&run=1'));
  await expect(report(page)).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  expect(await numberOf(page, 'data-sent')).toBe(500);
  expect(await numberOf(page, 'data-answered')).toBe(500);
  expect(await numberOf(page, 'data-stopped')).toBe(0);
  const { status, errors } = await counts(page);
  const withStatus = Object.values(status).reduce((sum, count) => sum + count, 0);
  // Every answer is in exactly one status class, or an error without one.
  expect(withStatus + (errors.timeout ?? 0) + (errors.network ?? 0)).toBe(500);
  expect(status['200']).toBeGreaterThan(0);
  // Nine percentiles, each no lower than the one before.
  const percentiles = await page.getByTestId('percentile').evaluateAll((all) => all.map((row) => Number((row as HTMLElement).dataset.ms)));
  expect(percentiles).toHaveLength(9);
  for (let index = 1; index < percentiles.length; index++) expect(percentiles[index]).toBeGreaterThanOrEqual(percentiles[index - 1]);
  // Little's law from the count in flight and from each request's times.
  const ratio = Number(await page.getByTestId('littles-law').getAttribute('data-ratio'));
  expect(ratio).toBeGreaterThan(0.98);
  expect(ratio).toBeLessThan(1.02);
  // The browser keeps at most six requests at this server: the rest of
  // the 100 in flight wait in the browser.
  const where = page.getByTestId('where-in-flight');
  expect(Number(await where.getAttribute('data-at-server'))).toBeLessThanOrEqual(6.5);
  expect(Number(await where.getAttribute('data-elsewhere'))).toBeGreaterThan(50);
  await expect(page.getByTestId('histogram-chart').getByTestId('histogram-bar').first()).toBeVisible();
  await expect(page.getByTestId('rps-chart').locator('polyline')).toHaveCount(1);

  const results = await downloadResults(page);
  expect(results.experiment).toBe('load');
  const [run] = results.runs;
  expect(run.complete).toBe(true);
  expect(run.params).toMatchObject({ model: 'closed', users: 100, requests: 500, target: 'work', method: 'POST' });
  for (const name of FIGURES) expect(run.figures[name], name).not.toBeUndefined();
  expect(run.figures.requests).toBe(500);
  expect(run.figures.status).toEqual(status);

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-rps').click()]);
  expect(csv.suggestedFilename()).toMatch(/per-second\.csv$/);
  // The timeline holds the first 500 requests (all of them here).
  await expect(page.getByRole('application')).toHaveAttribute('aria-label', /the first 500 requests/);
});

test('fail=0.25 with seed=1 fails the same 247 of 1,000 requests on the dev server and in the service worker', async ({ page }) => {
  await page.goto(loadPage('model=closed&users=20&requests=1000&target=work&cpu_ms=0&fail=0.25&seed=1&method=GET&run=1'));
  await expect(report(page)).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  const dev = await counts(page);
  expect(dev.status['500']).toBe(247);
  expect(dev.status['200']).toBe(753);
  expect(dev.errors.server_error).toBe(247);
  // The histogram holds every answer; "successful only" leaves the 500s
  // out of the latencies, not out of the counts.
  const barsTotal = () =>
    page.getByTestId('histogram-bar').evaluateAll((bars) => bars.reduce((sum, bar) => sum + Number((bar as HTMLElement).dataset.count), 0));
  expect(await barsTotal()).toBe(1000);
  await page.getByTestId('ok-only').check();
  await expect.poll(barsTotal).toBe(753);
  expect((await counts(page)).status['500']).toBe(247);

  // The simulated server, on a host without the endpoint, decides alike.
  await page.goto(loadPage('model=closed&users=20&requests=200&target=sw&cpu_ms=0&fail=0.5&seed=7&method=GET', 'OVERLAP_PLAIN_URL'));
  // The service worker takes control of the page after its first load.
  await expect(page.getByTestId('run')).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId('run').click();
  await expect(report(page)).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  const sw = await counts(page);
  expect(sw.status['500']).toBe(97);
  expect(sw.status['200']).toBe(103);
});

test('past the server\'s capacity the open model reports the queue that the closed model hides', async ({ page }) => {
  test.setTimeout(120_000);
  // Two workers of 20 ms: about 100 answers a second at most.
  await page.goto(loadPage('model=closed&users=4&rate=300&requests=300&target=work&cpu_ms=20&method=GET'));
  await page.getByTestId('compare').click();
  const compare = page.getByTestId('load-compare');
  await expect(compare.getByTestId('group-row')).toHaveCount(2, { timeout: 90_000 });
  const [closed, open] = await compare.getByTestId('group-row').evaluateAll((rows) =>
    rows.map((row) => ({ rps: Number((row as HTMLElement).dataset.rps), p99: Number((row as HTMLElement).dataset.p99) })),
  );
  // The open model kept sending at 300/s while the server answered about
  // 100/s: its late requests waited, and their latency says so.
  expect(open.p99).toBeGreaterThan(closed.p99 * 3);
  expect(closed.rps).toBeLessThan(250);
  await expect(compare.getByTestId('group-reading')).toContainText('coordinated omission');
});

test('Stop aborts what is in flight, keeps what was answered, and the next run completes', async ({ page }) => {
  await page.goto(loadPage('model=open&rate=50&requests=3000&duration_s=60&target=delay&latency_ms=1000&method=GET&run=1'));
  await expect(page.getByTestId('progress-text')).toContainText(/· [1-9]\d* in flight/, { timeout: 20_000 });
  await page.waitForTimeout(1_500);
  await page.getByTestId('cancel').click();
  await expect(report(page)).toHaveAttribute('data-outcome', 'stopped', { timeout: 20_000 });
  await expect(page.getByTestId('load-status')).toContainText('Stopped');
  const [sent, answered, stopped] = [await numberOf(page, 'data-sent'), await numberOf(page, 'data-answered'), await numberOf(page, 'data-stopped')];
  expect(stopped).toBeGreaterThan(0);
  expect(answered + stopped).toBe(sent);
  expect((await counts(page)).errors.network ?? 0).toBe(0);
  await page.locator('#requests').fill('20');
  await page.locator('#requests').dispatchEvent('change');
  await page.locator('#latency_ms').fill('10');
  await page.locator('#latency_ms').dispatchEvent('change');
  await page.getByTestId('run').click();
  await expect(report(page)).toHaveAttribute('data-outcome', 'complete', { timeout: 30_000 });
  expect(await numberOf(page, 'data-answered')).toBe(20);
});

test('a request past its timeout ends as a timeout, not as a network error, and the run goes on', async ({ page }) => {
  await page.goto(loadPage('model=closed&users=3&requests=6&target=delay&latency_ms=2000&timeout_ms=300&method=GET&run=1'));
  await expect(report(page)).toHaveAttribute('data-outcome', 'complete', { timeout: 30_000 });
  expect(await numberOf(page, 'data-answered')).toBe(6);
  const { status, errors } = await counts(page);
  expect(errors).toEqual({ timeout: 6 });
  expect(status).toEqual({});
  // Each waited its 300 ms, not the server's 2 s: the slowest is well
  // short of the latency asked for.
  const slowest = await page.getByTestId('percentile').last().getAttribute('data-ms');
  expect(Number(slowest)).toBeLessThan(1_500);
});

test('bad values are told next to their field and keys that do not fit are refused', async ({ page }) => {
  await page.goto(loadPage('method=GET&body_bytes=5'));
  await expect(page.getByTestId('query-problems')).toContainText('body_bytes must be left out: method=GET has no body_bytes');
  await page.goto(loadPage('model=open&fail=2'));
  await expect(page.locator('.field', { has: page.locator('#fail') }).getByRole('alert')).toContainText('fail must be a share from 0 to 1');
  await expect(page.getByTestId('run')).toBeDisabled();
  await expect(page.getByTestId('query-problems')).toContainText('`fail=2` is not valid');
  await page.locator('#fail').fill('0.1');
  await page.locator('#fail').dispatchEvent('change');
  await expect(page.getByTestId('run')).toBeEnabled();
  await page.goto(loadPage('target=urls&url=http://example.com/'));
  await expect(page.getByTestId('url-problems')).toContainText('only https: addresses');
  await expect(page.getByTestId('run')).toBeDisabled();
});
