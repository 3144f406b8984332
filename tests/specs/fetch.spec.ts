import type { Page } from '@playwright/test';
import { test, expect, serverUrl, latestSpans, type SpanRow } from './fixtures';

async function finishedRun(page: Page) {
  const row = page.getByTestId('run-row').last();
  await expect(row).not.toHaveAttribute('data-outcome', 'in-progress', { timeout: 60_000 });
  return row;
}


/** Each request's time in flight: from its first span on a slot to its last. */
function inFlight(all: SpanRow[]): { start: number; end: number }[] {
  const byTask = new Map<string, { start: number; end: number }>();
  for (const span of all.filter((s) => s.lane !== '')) {
    const known = byTask.get(span.task);
    byTask.set(span.task, known ? { start: Math.min(known.start, span.start), end: Math.max(known.end, span.end) } : { start: span.start, end: span.end });
  }
  return [...byTask.values()];
}

function maxConcurrent(intervals: { start: number; end: number }[]): number {
  const edges = intervals.flatMap((i) => [[i.start, 1], [i.end, -1]] as [number, number][]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, change] of edges) {
    now += change;
    most = Math.max(most, now);
  }
  return most;
}

const server = () => `${serverUrl('OVERLAP_ISOLATED_URL')}?exp=fetch&target=server`;

test('sequential: no two requests wait at the same time', async ({ page }) => {
  await page.goto(`${server()}&mode=sequential&n=5&latency_ms=60&run=1`);
  const row = await finishedRun(page);
  await expect(row).toHaveAttribute('data-classes', 'ok=5');
  const waiting = (await latestSpans(page)).filter((span) => span.state === 'waiting');
  expect(waiting).toHaveLength(5);
  expect(maxConcurrent(waiting)).toBe(1);
});

test('pool with k=3: at most 3 in flight at any instant, and 3 at some instant', async ({ page }) => {
  await page.goto(`${server()}&mode=pool&workers=3&n=9&latency_ms=150&run=1`);
  const row = await finishedRun(page);
  await expect(row).toHaveAttribute('data-classes', 'ok=9');
  expect(maxConcurrent(inFlight(await latestSpans(page)))).toBe(3);
  await expect(page.getByTestId('timeline').locator('canvas')).toHaveAttribute('data-lanes', '3');
});

test('gather completes all N; slots never hold two requests', async ({ page }) => {
  await page.goto(`${server()}&mode=gather&n=20&latency_ms=100&run=1`);
  const row = await finishedRun(page);
  await expect(row).toHaveAttribute('data-outcome', 'complete');
  await expect(row).toHaveAttribute('data-classes', 'ok=20');
  const all = await latestSpans(page);
  // Resource Timing shows the browser's six connections per host: no more
  // than six requests wait for a server at once; the rest wait for a connection.
  expect(maxConcurrent(all.filter((s) => s.state === 'waiting'))).toBeLessThanOrEqual(6);
  expect(all.some((s) => s.state === 'queued' && s.lane !== '')).toBe(true);
  for (const lane of new Set(all.filter((s) => s.lane !== '').map((s) => s.lane))) {
    const perTask = inFlight(all.filter((s) => s.lane === lane));
    expect(maxConcurrent(perTask), `slot ${lane}`).toBe(1);
  }
});

test.describe('asked-for failures', () => {
  // The browser logs every 404 it receives: here they are what was asked for.
  test.use({ allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of 404/] });

  test('outcomes are counted per class: http 404, timeout', async ({ page }) => {
  await page.goto(`${server()}&mode=gather&n=4&latency_ms=0&status=404&run=1`);
  await expect(await finishedRun(page)).toHaveAttribute('data-classes', 'http 404=4');
  await page.goto(`${server()}&mode=gather&n=3&latency_ms=3000&timeout_ms=200&run=1`);
  await expect(await finishedRun(page)).toHaveAttribute('data-classes', 'timeout=3');
  const failed = (await latestSpans(page)).filter((span) => span.state === 'failed');
  expect(failed).toHaveLength(3);
  });
});

test('Cancel all leaves no request in flight and the page usable', async ({ page }) => {
  await page.goto(`${server()}&mode=pool&workers=2&n=6&latency_ms=5000&run=1`);
  await expect(page.getByTestId('progress')).toBeVisible();
  await page.waitForTimeout(300);
  await page.getByTestId('cancel').click();
  const row = await finishedRun(page);
  await expect(row).toHaveAttribute('data-outcome', 'cancelled');
  await expect(row).toHaveAttribute('data-finished', '6');
  await expect(row).toHaveAttribute('data-classes', 'cancelled=6');
  await page.locator('#latency_ms').fill('10');
  await page.locator('#latency_ms').dispatchEvent('change');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  await expect(await finishedRun(page)).toHaveAttribute('data-classes', 'ok=6');
});

test('the service worker answers on a host without the endpoint', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_PLAIN_URL')}?exp=fetch&target=sw&mode=gather&n=8&latency_ms=100&capacity=4`);
  // The first visit reloads once under the service worker; then it can run.
  await expect(page.getByTestId('run')).toBeEnabled();
  await page.getByTestId('run').click();
  const row = await finishedRun(page);
  await expect(row).toHaveAttribute('data-classes', 'ok=8');
  // Capacity 4: the simulated server serves at most 4 at once, so 8
  // requests of 100 ms take two rounds; without the limit they take one.
  const spans = await latestSpans(page);
  const makespan = Math.max(...spans.map((span) => span.end));
  expect(makespan).toBeGreaterThanOrEqual(195);
  // The server says how long each request waited for a place (Server-Timing):
  // the second four each wait about 100 ms, recorded as queued on their
  // lane, not as time on the wire (which a sequential run never has).
  const queuedOnLanes = spans.filter((span) => span.state === 'queued' && span.lane !== '');
  const queuedMs = queuedOnLanes.reduce((sum, span) => sum + span.end - span.start, 0);
  expect(queuedMs, `queued on lanes: ${queuedMs} ms`).toBeGreaterThan(300);
  // Without a sequential run, speedup is the time on the wire (waiting and
  // downloading, never the server's queue) over the makespan. A ratio, not a
  // speed: a bound on it failed on a loaded machine.
  const wireMs = spans
    .filter((span) => span.state === 'waiting' || span.state === 'downloading')
    .reduce((sum, span) => sum + span.end - span.start, 0);
  const makespanMs = Number(await row.getAttribute('data-makespan-ms'));
  expect(Number(await row.getAttribute('data-speedup'))).toBeCloseTo(wireMs / makespanMs, 1);
  const response = await page.request.get(`${serverUrl('OVERLAP_PLAIN_URL')}api/delay?ms=1`);
  expect(response.status()).toBe(404);
});

test('as completed vs in submission order, for unequal latencies', async ({ page }) => {
  const url = `${serverUrl('OVERLAP_ISOLATED_URL')}?exp=fetch&target=preset&mode=gather&n=12`;
  await page.goto(`${url}&order=completed&run=1`);
  await finishedRun(page);
  const completed = await page.locator('[data-testid=result-list] li').evaluateAll((items) => items.map((item) => Number((item as HTMLElement).dataset.index)));
  expect(completed).toHaveLength(12);
  expect(completed).not.toEqual([...completed].sort((a, b) => a - b));
  // As completed: in the order each request's last span ended. (Which site
  // ends first is up to the browser, which does not hand out its six
  // connections in the order fetch() was called.)
  const ends = new Map<number, number>();
  for (const span of await latestSpans(page)) ends.set(Number(span.task), Math.max(ends.get(Number(span.task)) ?? 0, span.end));
  const byEnd = completed.map((index) => ends.get(index) ?? NaN);
  expect(byEnd.every((end, i) => i === 0 || end >= byEnd[i - 1] - 0.5), `ends in listed order: ${byEnd}`).toBe(true);

  await page.locator('#order').selectOption('submitted');
  const submitted = await page.locator('[data-testid=result-list] li').evaluateAll((items) => items.map((item) => Number((item as HTMLElement).dataset.index)));
  expect(submitted).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
});

test('bad input gets a message next to the field', async ({ page }) => {
  await page.goto(`${server()}&mode=pool&n=5000`);
  await expect(page.locator('.field', { has: page.locator('#n') })).toContainText('`n=5000` is not valid');
  await page.locator('#workers').fill('0');
  await page.locator('#workers').dispatchEvent('change');
  await expect(page.locator('.field', { has: page.locator('#workers') })).toContainText('workers must be a whole number from 1 to 256');
  await expect(page.getByTestId('run')).toBeDisabled();
});

test.describe('typed addresses', () => {
  // The refused connection below is logged by the browser: it is the point.
  test.use({ allowedConsoleErrors: [/^Failed to load resource: net::ERR_CONNECTION_REFUSED/] });

  test('are checked line by line, and a failure is reported as network or CORS', async ({ page }) => {
    await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=fetch&target=urls&mode=gather`);
    const field = page.locator('.field', { has: page.locator('#urls') });
    await page.locator('#urls').fill('ftp://files.example/\n\njavascript:alert(1)\n/api/delay?ms=5');
    await page.locator('#urls').dispatchEvent('change');
    await expect(field).toContainText('line 1: `ftp://files.example/` uses ftp:');
    await expect(field).toContainText('line 3: `javascript:alert(1)` uses javascript:');
    await expect(field).not.toContainText('line 4');
    await expect(page.getByTestId('run')).toBeDisabled();

    // Loopback only: this machine reaches no other host, and nothing listens on port 45999.
    await page.locator('#urls').fill('/api/delay?ms=50&bytes=100\nhttps://127.0.0.1:45999/');
    await page.locator('#urls').dispatchEvent('change');
    await expect(field.locator('.field-message')).toHaveCount(0);
    expect(decodeURIComponent(page.url())).toContain('urls=/api/delay?ms=50&bytes=100\nhttps://127.0.0.1:45999/');
    await page.getByTestId('run').click();
    const row = await finishedRun(page);
    await expect(row).toHaveAttribute('data-classes', 'ok=1;network/CORS=1');
  });
});

test.describe('a server that dies mid-answer', () => {
  test.use({ allowedConsoleErrors: [/^Failed to load resource: net::ERR_INCOMPLETE_CHUNKED_ENCODING/] });

  test('a body cut after its headers is a network error, shown on its run, and the next run succeeds', async ({ page }) => {
    await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=fetch&target=urls&mode=gather`);
    // The dev server's fault: headers and half of 100,000 bytes, then the connection closes.
    await page.locator('#urls').fill('/api/delay?ms=20&bytes=100000&fail=reset\n/api/delay?ms=20&bytes=100');
    await page.locator('#urls').dispatchEvent('change');
    await page.getByTestId('run').click();
    const cut = await finishedRun(page);
    await expect(cut).toHaveAttribute('data-outcome', 'complete');
    await expect(cut).toHaveAttribute('data-classes', 'ok=1;network/CORS=1');
    const failed = (await latestSpans(page)).filter((span) => span.state === 'failed');
    expect(failed.map((span) => span.task)).toEqual(['0']);

    await page.locator('#urls').fill('/api/delay?ms=20&bytes=100000');
    await page.locator('#urls').dispatchEvent('change');
    await page.getByTestId('run').click();
    await expect(page.getByTestId('run-row')).toHaveCount(2);
    await expect(await finishedRun(page)).toHaveAttribute('data-classes', 'ok=1');
  });
});

test('isolated workers fetch one request each at a time, after starting', async ({ page }) => {
  await page.goto(`${server()}&mode=workers&workers=2&n=6&latency_ms=100&run=1`);
  const row = await finishedRun(page);
  await expect(row).toHaveAttribute('data-classes', 'ok=6');
  const all = await latestSpans(page);
  expect(all.filter((span) => span.state === 'starting')).toHaveLength(2);
  expect(maxConcurrent(inFlight(all.filter((span) => span.task !== '')))).toBe(2);
  expect(all.filter((span) => span.state === 'waiting')).toHaveLength(6);
});
