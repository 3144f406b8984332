import { test, expect, serverUrl } from './fixtures';

test('isolated server: pool ready with hardwareConcurrency threads, probe on distinct workers', async ({ page }) => {
  await page.goto(serverUrl('OVERLAP_ISOLATED_URL'));
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('isolated')).toHaveAttribute('data-value', 'true');
  await expect(page.getByTestId('shared-memory')).toHaveText('available');

  const hardwareConcurrency = await page.evaluate(() => navigator.hardwareConcurrency);
  const expectedThreads = Math.min(hardwareConcurrency, 16);
  await expect(page.getByTestId('hardware-concurrency')).toHaveText(String(hardwareConcurrency));

  const poolState = page.getByTestId('pool-state');
  await expect(poolState).toHaveAttribute('data-state', 'ready');
  await expect(poolState).toHaveText(new RegExp(`^ready: ${expectedThreads} threads? in \\d+ ms$`));

  // A job sent to every pool thread reports which thread ran it: at least two
  // distinct workers prove the work really ran in parallel threads.
  const probe = page.getByTestId('probe');
  await expect(probe).toHaveAttribute('data-threads', String(expectedThreads));
  expect(expectedThreads).toBeGreaterThanOrEqual(2);
});

test('latency endpoint: waits, answers the status with the body size, rejects bad values', async ({ request }) => {
  const base = serverUrl('OVERLAP_ISOLATED_URL');
  const startedMs = Date.now();
  const answer = await request.get(`${base}api/delay?ms=300&bytes=1234&status=404`);
  expect(Date.now() - startedMs).toBeGreaterThanOrEqual(300);
  expect(answer.status()).toBe(404);
  expect((await answer.body()).length).toBe(1234);
  expect(answer.headers()['access-control-allow-origin']).toBe('*');

  for (const [query, parameter] of [
    ['ms=-5', 'ms'],
    ['ms=30001', 'ms'],
    ['bytes=10485761', 'bytes'],
    ['status=600', 'status'],
    ['colour=red', 'colour'],
  ]) {
    const rejected = await request.get(`${base}api/delay?${query}`);
    expect(rejected.status(), query).toBe(400);
    const message = await rejected.text();
    expect(message, query).toContain(`\`${parameter}\``);
    expect(message.trim().split('\n'), query).toHaveLength(1);
  }
});
