import type { Page } from '@playwright/test';
import { test, expect, serverUrl, downloadResults } from './fixtures';

const sweepPage = (query: string) => `${serverUrl('OVERLAP_ISOLATED_URL')}?exp=sweep&${query}`;

const EVERY_FIGURE = ['ks', 'median_speedup', 'min_speedup', 'max_speedup', 'efficiency', 'ceiling', 'amdahl_serial_fraction', 'amdahl_ceiling', 'karp_flatt', 'repeat'];

test('a CPU sweep over ks=1,2 runs every k each round, charts the medians and saves every figure', async ({ page }) => {
  await page.goto(sweepPage('of=cpu&workload=sum&size=2000000&tasks=8&ks=1,2&repeat=2&run=1'));
  await expect(page.getByTestId('sweep-figures')).toHaveAttribute('data-outcome', 'complete', { timeout: 120_000 });
  const rows = page.getByTestId('sweep-row');
  // Interleaved: k = 1, 2, then again.
  expect(await rows.evaluateAll((all) => all.map((row) => `${(row as HTMLElement).dataset.k}/${(row as HTMLElement).dataset.round}`))).toEqual(['1/1', '2/1', '1/2', '2/2']);
  await expect(page.getByTestId('speedup-chart').getByTestId('sweep-point')).toHaveCount(2);
  await expect(page.getByTestId('karp-flatt-chart').getByTestId('sweep-point')).toHaveCount(1);
  await expect(page.getByTestId('speedup-chart').locator('[data-line="ideal"]')).toHaveCount(1);
  await expect(page.getByTestId('speedup-chart').locator('[data-line="amdahl"]')).toHaveCount(1);
  await expect(page.getByTestId('reading')).not.toBeEmpty();

  const results = await downloadResults(page);
  expect(results.experiment).toBe('sweep');
  expect(results.runs).toHaveLength(1);
  const [sweep] = results.runs;
  expect(sweep.complete).toBe(true);
  expect(sweep.params).toMatchObject({ of: 'cpu', workload: 'sum', ks: '1,2', repeat: 2 });
  for (const name of EVERY_FIGURE) expect(sweep.figures[name], name).not.toBeUndefined();
  expect(sweep.figures.ks).toEqual([1, 2]);
  expect(sweep.figures.repeat).toBe(2);
  for (const name of ['median_speedup', 'min_speedup', 'max_speedup', 'efficiency', 'ceiling']) {
    expect(sweep.figures[name], name).toHaveLength(2);
    for (const value of sweep.figures[name]) expect(value, name).toBeGreaterThan(0);
  }
  expect(sweep.figures.min_speedup[1]).toBeLessThanOrEqual(sweep.figures.median_speedup[1]);
  expect(sweep.figures.median_speedup[1]).toBeLessThanOrEqual(sweep.figures.max_speedup[1]);
  expect(sweep.figures.karp_flatt[0]).toBeNull();
  expect(typeof sweep.figures.karp_flatt[1]).toBe('number');
  expect(typeof sweep.figures.amdahl_serial_fraction).toBe('number');
  // The table's speedups are the file's: the same measurements.
  const speedups = await rows.evaluateAll((all) => all.map((row) => Number((row as HTMLElement).dataset.speedup)));
  const k2 = [speedups[1], speedups[3]].sort((a, b) => a - b);
  expect(sweep.figures.min_speedup[1]).toBeCloseTo(k2[0], 6);
  expect(sweep.figures.max_speedup[1]).toBeCloseTo(k2[1], 6);
});

test('a request sweep over ks=1,2,6,12 plateaus at the browser\'s six connections and states the blocking fraction and the rule', async ({ page }) => {
  await page.goto(sweepPage('of=fetch&target=server&latency_ms=100&n=24&ks=1,2,6,12&repeat=3&run=1'));
  await expect(page.getByTestId('sweep-figures')).toHaveAttribute('data-outcome', 'complete', { timeout: 120_000 });
  const rows = page.getByTestId('sweep-row');
  await expect(rows).toHaveCount(12);
  await expect(page.getByTestId('blocking-fraction')).toContainText('%');
  await expect(page.getByTestId('rule-k')).toContainText('best measured k');

  const [sweep] = (await downloadResults(page)).runs;
  // The best of three runs at each k: a run slowed by a busy machine (two
  // shared cores) makes one k look worse than it is, never better.
  const [at2, at6, at12] = [1, 2, 3].map((index) => sweep.figures.max_speedup[index]);
  expect(at2).toBeGreaterThan(1.5);
  expect(at6).toBeGreaterThan(at2);
  // Without the six connections per host, k = 12 would halve the time again.
  expect(at12).toBeLessThan(1.5 * at6);
  for (const name of [...EVERY_FIGURE, 'blocking_fraction', 'rule_k']) expect(sweep.figures[name], name).not.toBeUndefined();
  expect(sweep.figures.ks).toEqual([1, 2, 6, 12]);
  // Almost all of a request's time is spent awaiting the network.
  expect(sweep.figures.blocking_fraction).toBeGreaterThan(0.5);
  expect(sweep.figures.rule_k).toBeGreaterThan(1);
  // The ceiling for requests: at most six in flight to one host.
  expect(sweep.figures.ceiling[2]).toBeCloseTo(6, 6);
  expect(sweep.figures.ceiling[3]).toBeCloseTo(6, 6);
});

test('Cancel keeps what was measured, every measured run opens on the timeline, and the next sweep runs', async ({ page }) => {
  await page.goto(sweepPage('of=fetch&latency_ms=200&n=6&ks=1,2&repeat=5'));
  await page.getByTestId('run').click();
  const rows = page.getByTestId('sweep-row');
  await expect(rows).toHaveCount(2, { timeout: 60_000 });
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('sweep-status')).toContainText('Cancelled', { timeout: 30_000 });
  // What was measured is kept, and no more: the status counts the rows.
  const kept = await rows.count();
  expect(kept).toBeLessThan(10);
  await expect(page.getByTestId('sweep-status')).toContainText(`the ${kept} runs measured`);
  await expect(page.getByTestId('sweep-figures')).toHaveAttribute('data-outcome', 'cancelled');
  // By default the latest round's first and last k are on the timeline;
  // any measured run can be put on it and taken off.
  const timeline = page.getByTestId('timeline').getByRole('application');
  const firstRun = /k = 1 \(requests in flight at once\), run 1 of 5:/;
  const firstBox = page.getByTestId('show-on-timeline').first();
  await firstBox.check();
  await expect(timeline).toHaveAttribute('aria-label', firstRun);
  await firstBox.uncheck();
  await expect(timeline).not.toHaveAttribute('aria-label', firstRun);
  await firstBox.check();
  await expect(timeline).toHaveAttribute('aria-label', firstRun);
  // The page keeps working: a short sweep runs to the end.
  await page.locator('#repeat').fill('1');
  await page.locator('#repeat').dispatchEvent('change');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('sweep-figures')).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
});

test('bad lists of k are refused next to the field, and a CPU k past the pool says how to get it', async ({ page }) => {
  await page.goto(sweepPage('of=cpu&ks=2,4'));
  await expect(page.locator('.field', { has: page.locator('#ks') }).getByRole('alert')).toContainText('ks must include 1');
  await page.locator('#ks').fill('1,x');
  await page.locator('#ks').dispatchEvent('change');
  await expect(page.locator('.field', { has: page.locator('#ks') }).getByRole('alert')).toContainText('`x` is not');
  await expect(page.getByTestId('run')).toBeDisabled();
  // A good list past this page's pool of two.
  await page.goto(sweepPage('of=cpu&ks=1,4&pool=2'));
  await expect(page.getByTestId('run')).toBeDisabled({ timeout: 30_000 });
  await expect(page.locator('form .field-message[role="status"]')).toContainText('this pool has 2: ask for at most 2, or add `pool=4` to the address');
});

test('pool=4 lets a CPU sweep go past this machine\'s logical processors', async ({ page }) => {
  await page.goto(sweepPage('of=cpu&workload=sum&tasks=8&ks=1,4&repeat=1&pool=4&run=1'));
  await expect(page.getByTestId('sweep-figures')).toHaveAttribute('data-outcome', 'complete', { timeout: 120_000 });
  await expect(page.locator('[data-testid="sweep-row"][data-k="4"]')).toHaveCount(1);
  // The run with k = 4 is on the timeline (rayon may put two of its lanes
  // on one thread, so its lanes are not counted).
  await expect(page.getByTestId('timeline').getByRole('application')).toHaveAttribute('aria-label', /k = 4 \(pool threads\), run 1 of 1:/);
});

test('a request sweep on the service worker\'s simulated server goes past six in flight, with no connection ceiling', async ({ page }) => {
  // A host without the endpoint: the first visit reloads once under the
  // service worker; then it can run.
  await page.goto(`${serverUrl('OVERLAP_PLAIN_URL')}?exp=sweep&of=fetch&target=sw&latency_ms=100&n=24&ks=1,12&repeat=1`);
  await expect(page.getByTestId('run')).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('sweep-figures')).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  const [sweep] = (await downloadResults(page)).runs;
  // No connection limit: the ceiling is k's, and twelve in flight beat six.
  expect(sweep.figures.ceiling[1]).toBeCloseTo(12, 6);
  expect(sweep.figures.median_speedup[1]).toBeGreaterThan(6);
});
