import { test, expect, serverUrl, downloadResults } from './fixtures';

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

test('race, step mode, lock-step and thread-local: Download results saves the figures the README names', async ({ page }) => {
  const base = serverUrl('OVERLAP_ISOLATED_URL');
  await page.goto(`${base}?exp=race&variant=lock&threads=2&increments=1000&run=1`);
  await expect(page.getByTestId('run-row')).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  let results = await downloadResults(page);
  expect(results.experiment).toBe('race');
  expect(results.runs[0].params).toMatchObject({ variant: 'lock', threads: 2, increments: 1000 });
  expect(results.runs[0].figures).toMatchObject({ expected: 2000, final: 2000, lost_updates: 0, lost_share: 0 });
  expect(typeof results.runs[0].figures.time_ms).toBe('number');

  await page.goto(`${base}?exp=race&step=1&schedule=112221`);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-solved', 'true');
  results = await downloadResults(page);
  expect(results.runs[0].figures).toEqual({ schedule: '112221', final: 1, solved: true });

  await page.goto(`${base}?exp=lockstep&variant=condvar&threads=2&rounds=5&run=1`);
  await expect(page.getByTestId('run-row')).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  results = await downloadResults(page);
  expect(results.runs[0].figures).toMatchObject({ sequence_ok: true, prints: 10, handoffs: 9, sequence: 'ABABABABAB' });
  expect(typeof results.runs[0].figures.handoff_p50_us).toBe('number');
  expect(typeof results.runs[0].figures.handoff_p99_us).toBe('number');

  await page.goto(`${base}?exp=thread-local&threads=2&tasks=10&run=1`);
  await expect(page.getByTestId('run-row')).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  results = await downloadResults(page);
  const figures = results.runs[0].figures;
  expect(figures).toMatchObject({ shared_total: 55, sum_of_locals: 55, expected: 55, sums_agree: true, students_kept_apart: true });
  const perThread: { thread: number; local_sum: number; tasks: number; student: string }[] = figures.per_thread;
  expect(perThread.reduce((sum, thread) => sum + thread.local_sum, 0)).toBe(55);
  expect(perThread.reduce((sum, thread) => sum + thread.tasks, 0)).toBe(10);
  // Each pool thread's own student, as the notes' Alice (thread 1) and Bob (thread 2).
  for (const thread of perThread) expect(thread.student).toBe(['Alice', 'Bob', 'Carol', 'Dave'][thread.thread - 1] ?? thread.student);
});

test('queue: Download results saves the figures the README names', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=queue&on=coroutines&items=40&capacity=3&run=1`);
  await expect(page.getByTestId('run-row')).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  const results = await downloadResults(page);
  expect(results.experiment).toBe('queue');
  expect(results.runs[0].params).toMatchObject({ on: 'coroutines', items: 40, capacity: 3 });
  const figures = results.runs[0].figures;
  expect(figures).toMatchObject({ items_produced: 40, items_consumed: 40, duplicates: 0, lost: 0, stopped_exactly: true });
  expect(figures.max_depth).toBeLessThanOrEqual(3);
  for (const name of ['throughput_per_s', 'mean_depth', 'mean_wait_ms', 'littles_law_ratio', 'producer_blocked_share', 'consumer_blocked_share']) {
    expect(typeof figures[name], name).toBe('number');
  }
});
