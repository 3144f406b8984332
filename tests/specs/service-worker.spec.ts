import { test, expect, serverUrl } from './fixtures';

test('plain static host: the service worker isolates the page after at most one reload', async ({ page }) => {
  const plain = serverUrl('OVERLAP_PLAIN_URL');
  let loads = 0;
  page.on('load', () => (loads += 1));

  const first = await page.goto(plain);
  expect(first?.headers()['cross-origin-opener-policy']).toBeUndefined();
  expect(first?.headers()['cross-origin-embedder-policy']).toBeUndefined();

  await expect(page.getByTestId('isolated')).toHaveAttribute('data-value', 'true');
  await expect(page.getByTestId('pool-state')).toHaveAttribute('data-state', 'ready');
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  expect(loads).toBeLessThanOrEqual(2);

  // It settles: no further reloads happen, and a reload by the user stays
  // isolated without another one.
  await page.waitForTimeout(1_000);
  expect(loads).toBeLessThanOrEqual(2);
  const loadsBefore = loads;
  await page.reload();
  await expect(page.getByTestId('pool-state')).toHaveAttribute('data-state', 'ready');
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  expect(loads).toBe(loadsBefore + 1);
});
