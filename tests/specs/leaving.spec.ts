import { test, expect, serverUrl } from './fixtures';

// Leaving a page while it runs: pool threads computing, requests in flight
// and a load test's users all end with the page, nothing is reported as an
// error on the way out, and the next page (and the one come back to) runs.
const LONG_RUNS = [
  ['CPU threads', 'cpu', '?exp=cpu&workload=sum&size=100000000&tasks=64&mode=threads&workers=2&run=1'],
  ['requests', 'fetch', '?exp=fetch&target=server&mode=gather&n=40&latency_ms=3000&run=1'],
  ['threads in a deadlock', 'deadlock', '?exp=deadlock&scenario=locks&run=1'],
  ['futures on pool threads', 'futures', '?exp=futures&scenario=map&unit_ms=1000&run=1'],
  ['a load test', 'load', '?exp=load&model=closed&users=20&requests=100000&duration_s=300&cpu_ms=5&run=1'],
] as const;

// A run going on: the load test's report says `running`, the others' rows `in-progress`.
const RUNNING = '[data-outcome="in-progress"], [data-outcome="running"]';

for (const [what, exp, query] of LONG_RUNS) {
  test(`leaving mid-run (${what}) for another page, then coming back, leaves both working`, async ({ page }) => {
    await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}${query}`);
    await expect(page.locator(RUNNING).first()).toBeVisible({ timeout: 30_000 });

    await page.getByRole('navigation', { name: 'Experiments' }).getByRole('link', { name: 'Many requests' }).click();
    await expect(page).toHaveURL(/exp=fetch/);
    await page.locator('#n').fill('4');
    await page.locator('#n').dispatchEvent('change');
    await page.getByTestId('run').click();
    const row = page.getByTestId('run-row').last();
    await expect(row).toHaveAttribute('data-outcome', 'complete', { timeout: 30_000 });
    await expect(row).toHaveAttribute('data-classes', 'ok=4');

    // Back: the page loads again from its address, run=1 and all.
    await page.goBack();
    await expect(page).toHaveURL(new RegExp(`exp=${exp}&`));
    // Loaded anew, not restored from the back-forward cache with the old run.
    expect(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).type)).toBe('back_forward');
    await expect(page.locator(RUNNING).first()).toBeVisible({ timeout: 30_000 });
    await page.getByTestId('cancel').click();
    await expect(page.locator(RUNNING)).toHaveCount(0, { timeout: 30_000 });
  });
}
