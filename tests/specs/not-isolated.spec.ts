import { test, expect, serverUrl } from './fixtures';

const OFF_MODES_MESSAGE = 'the other modes still work';

test('embedded in a non-isolated tutorial page: threads are off, the page says why', async ({ page }) => {
  const overlap = serverUrl('OVERLAP_OPEN_URL');
  // A tutorial page that embeds Overlap, as authors do. It is served from the
  // same host (Chromium's local network access checks block a localhost page
  // from framing 127.0.0.1); what matters is that it is not isolated.
  const tutorial = `${overlap}tutorial.html`;
  await page.route(tutorial, (route) =>
    route.fulfill({
      contentType: 'text/html',
      // No favicon request: the server has none, and once Overlap's service
      // worker (registered by the iframe) controls this page, the 404 is logged.
      body: `<!doctype html><title>Tutorial</title><link rel="icon" href="data:,"><h1>A tutorial</h1>
             <iframe src="${overlap}?exp=home" width="900" height="700"></iframe>`,
    }),
  );
  await page.goto(tutorial);
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(false);

  const frame = page.frameLocator('iframe');
  await expect(frame.getByRole('heading', { name: 'Overlap' })).toBeVisible();
  await expect(frame.getByTestId('isolated')).toHaveAttribute('data-value', 'false');
  await expect(frame.getByTestId('shared-memory')).toHaveText('not available');
  const poolState = frame.getByTestId('pool-state');
  await expect(poolState).toHaveAttribute('data-state', 'off');
  await expect(poolState).toContainText('embedded in a page that is not cross-origin isolated');
  await expect(poolState).toContainText(OFF_MODES_MESSAGE);
  await expect(frame.getByTestId('probe')).toHaveText('not run: there is no pool');
});

test.describe('top level, where no service worker may run', () => {
  test.use({ serviceWorkers: 'block' });

  test('without isolation headers: threads are off, the page says why', async ({ page }) => {
    const response = await page.goto(serverUrl('OVERLAP_OPEN_URL'));
    expect(response?.headers()['cross-origin-opener-policy']).toBeUndefined();
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(false);
    const poolState = page.getByTestId('pool-state');
    await expect(poolState).toHaveAttribute('data-state', 'off');
    await expect(poolState).toContainText('not cross-origin isolated');
    await expect(poolState).toContainText(OFF_MODES_MESSAGE);
  });

  test('without isolation the queue runs on coroutines and isolated workers; threads are left out and the page says why', async ({ page }) => {
    await page.goto(`${serverUrl('OVERLAP_OPEN_URL')}?exp=queue&items=30&consume_ms=1`);
    await expect(page.getByTestId('run')).toBeDisabled();
    await expect(page.locator('.controls [role=status]')).toContainText('not cross-origin isolated');
    await expect(page.getByTestId('compare-note')).toContainText('Threads are left out of Compare');
    await page.getByTestId('compare').click();
    const rows = page.getByTestId('run-row');
    await expect(rows).toHaveCount(2, { timeout: 60_000 });
    for (const row of await rows.all()) {
      await expect(row).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
      await expect(row).toHaveAttribute('data-consumed', '30');
    }
    expect(await rows.evaluateAll((all) => all.map((row) => (row as HTMLElement).dataset.on))).toEqual(['coroutines', 'workers']);
  });
});
