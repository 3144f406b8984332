import { test, expect, serverUrl } from './fixtures';

test('chained locks, a condition variable and a turn word print the exact turns; no coordination is measured', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=lockstep&threads=2&rounds=200`);
  await page.getByTestId('compare').click();
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(4, { timeout: 60_000 });
  for (const row of await rows.all()) await expect(row).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  const variants = await rows.evaluateAll((all) => all.map((row) => (row as HTMLElement).dataset.variant));
  expect(variants).toEqual(['none', 'locks', 'condvar', 'atomics']);
  const exact = 'AB'.repeat(200);
  for (const index of [1, 2, 3]) {
    await expect(rows.nth(index)).toHaveAttribute('data-sequence', exact);
    await expect(rows.nth(index)).toHaveAttribute('data-sequence-ok', 'true');
    expect(Number(await rows.nth(index).getAttribute('data-handoff-p50-us'))).toBeGreaterThanOrEqual(0);
  }
  // Without coordination every letter is still printed, in whatever order.
  const free = (await rows.nth(0).getAttribute('data-sequence')) ?? '';
  expect([...free].sort().join('')).toBe('A'.repeat(200) + 'B'.repeat(200));
});
