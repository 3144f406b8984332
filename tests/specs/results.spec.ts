import type { Page } from '@playwright/test';
import { test, expect, serverUrl } from './fixtures';

/** Presses "Download results" and reads the file it saves. */
async function downloadResults(page: Page): Promise<any> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-results').click()]);
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

test('CPU: Download results saves every run with its figures and the exact sums Python prints', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=cpu&workload=sum&mode=threads&workers=2&tasks=2`);
  await expect(page.getByTestId('download-results')).toBeDisabled();
  await page.getByTestId('compare').click();
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(2, { timeout: 60_000 });
  await expect(rows.nth(1)).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  // The page shows the exact sum too, as CPython prints it.
  await expect(rows.nth(0)).toContainText('333333283333335000000');

  const results = await downloadResults(page);
  expect(results.overlap).toBe(1);
  expect(results.experiment).toBe('cpu');
  expect(results.lang).toBe('en');
  expect(results.address).toBe('?exp=cpu&workload=sum&mode=threads&workers=2&tasks=2');
  expect(results.runs).toHaveLength(2);
  const [sequential, threads] = results.runs;
  expect(sequential.title).toBe('1. Sequential, 1 worker');
  expect(sequential.params).toMatchObject({ workload: 'sum', mode: 'sequential', tasks: 2, workers: 1 });
  expect(threads.params).toMatchObject({ mode: 'threads', workers: 2 });
  for (const run of results.runs) {
    expect(run.complete).toBe(true);
    for (const name of ['makespan_ms', 'busy_ms', 'ceiling']) expect(typeof run.figures[name], name).toBe('number');
    expect(run.figures.sums).toEqual(['333333283333335000000', '333333383333335000000']);
    expect(typeof run.figures.result).toBe('string');
  }
  const makespan = Number(await rows.nth(1).getAttribute('data-makespan-ms'));
  expect(threads.figures.makespan_ms).toBeCloseTo(makespan, 6);
  expect(threads.figures.speedup).toBeGreaterThan(0);
  expect(threads.figures.efficiency).toBeCloseTo(threads.figures.speedup / 2, 9);
  expect(threads.figures.matches_sequential).toBe(true);
});

test('fetch: Download results saves the latency figures and counts, in the page language', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=fetch&target=server&mode=gather&n=6&latency_ms=50&lang=zh-CN`);
  await page.getByTestId('run').click();
  const row = page.getByTestId('run-row');
  await expect(row).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  const results = await downloadResults(page);
  expect(results.experiment).toBe('fetch');
  expect(results.lang).toBe('zh-CN');
  const [run] = results.runs;
  expect(run.title).toBe('1. 全部并发（gather）');
  expect(run.params).toMatchObject({ target: 'server', mode: 'gather', n: 6, latency_ms: 50 });
  expect(run.complete).toBe(true);
  expect(run.figures.ok).toBe(6);
  expect(run.figures.failed).toBe(0);
  expect(run.figures.ideal_ms).toBe(50);
  for (const name of ['makespan_ms', 'p50_ms', 'p99_ms', 'max_ms', 'mean_ms']) {
    expect(run.figures[name], name).toBeGreaterThanOrEqual(50);
  }
  expect(run.figures.p50_ms).toBeLessThanOrEqual(run.figures.p99_ms);
  expect(run.figures.classes).toEqual({ ok: 6 });
  // No sequential run on the page: the speedup is over time on the wire.
  expect(run.figures.speedup_over).toBe('wire');
});
