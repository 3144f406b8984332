import { test, expect, serverUrl, downloadResults } from './fixtures';

const CYCLES = {
  locks: 'cycle: thread 1 → lock B → thread 2 → lock A → thread 1',
  mutual: 'cycle: worker 1 (task a) → future b → worker 2 (task b) → future a → worker 1 (task a)',
  self: 'cycle: worker 1 → future pow(5, 2) → worker slot 1 → worker 1',
  philosophers: 'cycle: philosopher 1 → fork 2 → philosopher 2 → fork 1 → philosopher 1',
} as const;

for (const [scenario, cycle] of Object.entries(CYCLES)) {
  test(`${scenario}: the threads really block, the cycle is found while it stands, and Break lets the run finish`, async ({ page }) => {
    await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=deadlock&scenario=${scenario}&philosophers=2&run=1`);
    const row = page.getByTestId('run-row');
    await expect(row).toHaveAttribute('data-deadlocked-now', 'true', { timeout: 30_000 });
    await expect(page.getByTestId('cycle-text')).toHaveText(cycle);
    await expect(page.getByTestId('wait-graph').locator('.wait-edge.in-cycle')).toHaveCount(cycle.split(' → ').length - 1);
    // The blocked waits keep growing while the cycle stands.
    const drawnMs = async () => {
      const label = (await page.locator('[data-testid="timeline"] canvas').getAttribute('aria-label')) ?? '';
      const [, value, unit] = label.match(/running, ([\d.]+) (ms|s) so far on \d+ lanes?/) ?? [];
      return Number(value ?? 0) * (unit === 's' ? 1000 : 1);
    };
    await expect.poll(drawnMs, { timeout: 10_000 }).toBeGreaterThan(600);
    await expect(row).toHaveAttribute('data-outcome', 'in-progress');
    await page.getByTestId('break').click();
    await expect(row).toHaveAttribute('data-outcome', 'complete', { timeout: 10_000 });
    await expect(row).toHaveAttribute('data-broken', 'true');
    await expect(page.getByTestId('break')).toBeDisabled();
  });
}

test('Compare runs the deadlock, then the fix; results say so; the fixed variants never deadlock in 20 runs each', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=deadlock&scenario=locks`);
  await page.getByTestId('compare').click();
  const rows = page.getByTestId('run-row');
  await expect(rows.first()).toHaveAttribute('data-deadlocked-now', 'true', { timeout: 30_000 });
  await page.getByTestId('break').click();
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toHaveAttribute('data-outcome', 'complete', { timeout: 10_000 });
  await expect(rows.nth(1)).toHaveAttribute('data-deadlocked', 'false');
  const results = await downloadResults(page);
  expect(results.experiment).toBe('deadlock');
  const [broken, fixed] = results.runs;
  expect(broken.figures).toMatchObject({
    deadlocked: true,
    cycle: ['thread 1', 'lock B', 'thread 2', 'lock A', 'thread 1'],
    broken: true,
    completed: true,
    completed_after_fix: null,
    timed_out_waits: 1,
  });
  expect(typeof broken.figures.detected_after_ms).toBe('number');
  expect(fixed.params).toMatchObject({ scenario: 'locks', fixed: 1 });
  expect(fixed.figures).toMatchObject({ deadlocked: false, cycle: [], broken: false, completed: true, completed_after_fix: true, detected_after_ms: null });

  for (const scenario of Object.keys(CYCLES)) {
    await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=deadlock&scenario=${scenario}&fixed=1&philosophers=2`);
    for (let run = 1; run <= 20; run += 1) {
      await page.getByTestId('run').click();
      const row = page.locator(`[data-testid="run-row"][data-run="${run}"]`);
      await expect(row).toHaveAttribute('data-outcome', 'complete', { timeout: 10_000 });
      await expect(row, `${scenario} run ${run}`).toHaveAttribute('data-deadlocked', 'false');
    }
  }
});

test('Cancel lets every blocked thread go: the next run gets the whole pool', async ({ page }) => {
  // Two philosophers hold both pool threads of this machine's pool of 2.
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=deadlock&scenario=philosophers&philosophers=2&pool=2&run=1`);
  const rows = page.getByTestId('run-row');
  await expect(rows.first()).toHaveAttribute('data-deadlocked-now', 'true', { timeout: 30_000 });
  await page.getByTestId('cancel').click();
  await expect(rows.first()).toHaveAttribute('data-outcome', 'cancelled', { timeout: 10_000 });
  await page.locator('#fixed').selectOption('1');
  await page.getByTestId('run').click();
  await expect(rows.nth(1)).toHaveAttribute('data-outcome', 'complete', { timeout: 10_000 });
  await expect(rows.nth(1)).toHaveAttribute('data-deadlocked', 'false');
});
