import { test, expect, serverUrl } from './fixtures';

const queuePage = (query: string) => `${serverUrl('OVERLAP_ISOLATED_URL')}?exp=queue&${query}`;
const number = async (row: import('@playwright/test').Locator, name: string) => Number(await row.getAttribute(`data-${name}`));

test('fast producers, slow consumers: on threads, coroutines and workers the producers wait on a full queue, the depth sits at capacity, every item is consumed once and Little\'s law holds', async ({ page }) => {
  await page.goto(queuePage('producers=1&consumers=1&capacity=5&items=200&produce_ms=0&consume_ms=6&stop=sentinel'));
  await page.getByTestId('compare').click();
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(3, { timeout: 60_000 });
  for (const row of await rows.all()) await expect(row).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  expect(await rows.evaluateAll((all) => all.map((row) => (row as HTMLElement).dataset.on))).toEqual(['threads', 'coroutines', 'workers']);
  for (const row of await rows.all()) {
    const on = await row.getAttribute('data-on');
    expect(await number(row, 'produced'), on!).toBe(200);
    expect(await number(row, 'consumed'), on!).toBe(200);
    expect(await number(row, 'duplicates'), on!).toBe(0);
    expect(await number(row, 'lost'), on!).toBe(0);
    await expect(row).toHaveAttribute('data-stopped-exactly', 'true');
    // Never more than the capacity, and full most of the time.
    expect(await number(row, 'max-depth'), on!).toBe(5);
    expect(await number(row, 'mean-depth'), on!).toBeGreaterThan(3);
    // On workers the producer's copy of each item out of its memory is its
    // work too, so less of its time is waiting (0.49 seen on a busy machine).
    expect(await number(row, 'producer-blocked'), on!).toBeGreaterThan(on === 'workers' ? 0.3 : 0.5);
    // Both sides are read at the same moments: they agree exactly when the
    // queue's own count and the items' log agree, which a lost, doubled or
    // miscounted entry breaks.
    const little = await number(row, 'little');
    expect(little, `${on}: mean depth / (rate × wait)`).toBeGreaterThan(0.9);
    expect(little, `${on}: mean depth / (rate × wait)`).toBeLessThan(1.1);
  }
  await expect(page.getByTestId('reading')).toContainText('Producers waited');
  // The depth under the lanes, one chart a run, never above the capacity line.
  const charts = page.getByTestId('counter-chart');
  await expect(charts).toHaveCount(3);
  for (const chart of await charts.all()) await expect(chart).toHaveAttribute('data-max', '5');
});

test('slow producers, fast consumers with join(): the consumers wait on an empty queue and join() ends every run', async ({ page }) => {
  await page.goto(queuePage('producers=1&consumers=1&capacity=10&items=40&produce_ms=8&consume_ms=0&stop=join'));
  await page.getByTestId('compare').click();
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(3, { timeout: 60_000 });
  for (const row of await rows.all()) {
    await expect(row).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
    const on = await row.getAttribute('data-on');
    expect(await number(row, 'consumed'), on!).toBe(40);
    expect(await number(row, 'duplicates'), on!).toBe(0);
    await expect(row).toHaveAttribute('data-stopped-exactly', 'true');
    // The consumers wait on the empty queue (on workers the copies in and
    // out of each consumer's memory count as its work, so less of its time
    // is waiting); on a shared machine a consumer can be switched out for a
    // while, but the queue still sits near empty and the producer hardly
    // ever waits.
    const consumerBlocked = await number(row, 'consumer-blocked');
    expect(consumerBlocked, on!).toBeGreaterThan(0.3);
    expect(await number(row, 'producer-blocked'), on!).toBeLessThan(Math.min(0.1, consumerBlocked / 3));
    expect(await number(row, 'max-depth'), on!).toBeLessThanOrEqual(10);
    expect(await number(row, 'mean-depth'), on!).toBeLessThan(2);
  }
  await expect(page.getByTestId('reading')).toContainText('Consumers waited');
});

for (const on of ['threads', 'coroutines', 'workers']) {
  test(`${on}: Cancel stops the run at once, with items left in the queue, and the next run completes`, async ({ page }) => {
    // No bound and a fast producer: hundreds of items wait when Cancel comes.
    await page.goto(queuePage(`on=${on}&capacity=0&items=1000&produce_ms=0&consume_ms=20`));
    await page.getByTestId('run').click();
    // Five handled (100 ms): the producer is far ahead by then.
    const consumed = async () => Number(/(\d+)\/1000/.exec((await page.getByTestId('progress').textContent()) ?? '')?.[1] ?? 0);
    await expect.poll(consumed, { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
    await page.getByTestId('cancel').click();
    const rows = page.getByTestId('run-row');
    // Handling what is left in the queue would take many seconds.
    await expect(rows.nth(0)).toHaveAttribute('data-outcome', 'cancelled', { timeout: 5_000 });
    expect(Number(await page.getByTestId('counter-chart').first().getAttribute('data-max'))).toBeGreaterThan(20);
    await page.locator('#items').fill('20');
    await page.locator('#items').dispatchEvent('change');
    await page.locator('#consume_ms').fill('1');
    await page.locator('#consume_ms').dispatchEvent('change');
    await page.getByTestId('run').click();
    await expect(rows.nth(1)).toHaveAttribute('data-outcome', 'complete', { timeout: 30_000 });
    await expect(rows.nth(1)).toHaveAttribute('data-consumed', '20');
  });
}

test('two producers, three consumers, a sentinel each: every consumer stops at its own and every item is consumed once', async ({ page }) => {
  await page.goto(queuePage('producers=2&consumers=3&capacity=4&items=30&produce_ms=1&consume_ms=2&stop=sentinel'));
  await page.getByTestId('compare').click();
  const poolThreads = Math.min(await page.evaluate(() => navigator.hardwareConcurrency), 16);
  const rows = page.getByTestId('run-row');
  // Threads only where the pool has a thread for each of the five.
  await expect(rows).toHaveCount(poolThreads >= 5 ? 3 : 2, { timeout: 60_000 });
  for (const row of await rows.all()) {
    await expect(row).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
    await expect(row).toHaveAttribute('data-consumed', '60');
    await expect(row).toHaveAttribute('data-duplicates', '0');
    await expect(row).toHaveAttribute('data-stopped-exactly', 'true');
    expect(await number(row, 'max-depth')).toBeLessThanOrEqual(4);
  }
});

test('presets set every field; more threads than the pool has are refused next to the run, and Compare leaves threads out', async ({ page }) => {
  await page.goto(queuePage('on=coroutines'));
  await page.getByTestId('preset-three-consumers').click();
  await expect(page).toHaveURL(/exp=queue&on=coroutines&consumers=3&capacity=10&items=60&produce_ms=1&consume_ms=6&stop=join$/);
  await expect(page.locator('#consumers')).toHaveValue('3');
  await expect(page.locator('#stop')).toHaveValue('join');
  await expect(page.getByTestId('python')).toContainText('q.join()');
  await expect(page.getByTestId('python')).toContainText('asyncio.Queue(maxsize=capacity)');
  // More producers and consumers than the pool has threads (any pool below the largest, 16).
  const poolThreads = Math.min(await page.evaluate(() => navigator.hardwareConcurrency), 16);
  const producers = Math.min(poolThreads, 8);
  await page.goto(queuePage(`on=threads&producers=${producers}&consumers=8`));
  if (poolThreads < 16) {
    await expect(page.getByTestId('run')).toBeDisabled({ timeout: 30_000 });
    await expect(page.locator('.controls [role=status]')).toContainText(`${producers + 8} producers and consumers each hold a pool thread`);
    await expect(page.getByTestId('compare-note')).toContainText('Threads are left out of Compare');
    await expect(page.getByTestId('compare')).toBeEnabled();
  }
  // A rejected value typed into a field gives way to the preset's.
  await page.locator('#items').fill('5000');
  await page.locator('#items').dispatchEvent('change');
  await expect(page.locator('.field', { has: page.locator('#items') })).toContainText('from 1 to 1000');
  await page.locator('#on').selectOption('coroutines');
  await page.getByTestId('preset-unbounded').click();
  await expect(page).toHaveURL(/exp=queue&on=coroutines&producers=2&capacity=0&produce_ms=1&consume_ms=4$/);
  await expect(page.locator('#items')).toHaveValue('50');
  await expect(page.locator('.field', { has: page.locator('#items') })).not.toContainText('from 1 to 1000');
  await expect(page.locator('#capacity')).toHaveValue('0');
  await expect(page.getByTestId('run')).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId('run').click();
  const row = page.getByTestId('run-row').first();
  await expect(row).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  // No bound: nobody waits to put, the queue grows instead.
  expect(await number(row, 'producer-blocked')).toBe(0);
  expect(await number(row, 'max-depth')).toBeGreaterThan(25);
  await expect(page.getByTestId('reading')).toContainText('grew to');
});
