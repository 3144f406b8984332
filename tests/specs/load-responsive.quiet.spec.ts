import { test, expect, serverUrl } from './fixtures';

// Runs alone, after every other test (the `quiet` project): it times the
// page's tasks, which a second browser on the same two cores would stretch.
test('20,000 requests in one run leave the page responsive: no task of 100 ms or more', async ({ page }) => {
  test.setTimeout(180_000);
  await page.addInitScript(() => {
    (window as any).longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) (window as any).longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  // The service worker's simulated server answers without a connection, so
  // the browser's six per host do not slow the run: 16 users stay within
  // its 2 workers and 16 queued, so none is refused.
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=load&model=closed&users=16&requests=20000&duration_s=300&target=sw&cpu_ms=0&method=GET`);
  // Enabled once the service worker has taken control of the page.
  await expect(page.getByTestId('run')).toBeEnabled({ timeout: 30_000 });
  // Tasks of the page's start-up are not the run's.
  await page.evaluate(() => ((window as any).longTasks = []));
  await page.getByTestId('run').click();
  const report = page.getByTestId('load-report');
  await expect(report).toHaveAttribute('data-outcome', 'complete', { timeout: 120_000 });
  expect(Number(await report.getAttribute('data-sent'))).toBe(20_000);
  expect(Number(await report.getAttribute('data-answered'))).toBe(20_000);
  expect(Number(await report.getAttribute('data-ok'))).toBe(20_000);
  const longest = await page.evaluate(() => Math.max(0, ...(window as any).longTasks));
  // In the report, for the margin to be seen run after run.
  test.info().annotations.push({ type: 'longest task', description: `${longest.toFixed(0)} ms` });
  expect(longest).toBeLessThan(100);
});
