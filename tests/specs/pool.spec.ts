import type { Page } from '@playwright/test';
import { test, expect, serverUrl } from './fixtures';

/** The pool's default size on this machine: one thread per logical processor, at most 16. */
async function defaultThreads(page: Page): Promise<number> {
  return Math.min(await page.evaluate(() => navigator.hardwareConcurrency), 16);
}

function processors(count: number): string {
  return `${count} logical processor${count === 1 ? '' : 's'}`;
}

test('pool=4 starts a pool of 4 threads, says why, and every link carries it', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=home&pool=4`);
  const hardwareConcurrency = await page.evaluate(() => navigator.hardwareConcurrency);
  await expect(page.getByTestId('query-problems')).toHaveCount(0);
  const poolState = page.getByTestId('pool-state');
  await expect(poolState).toHaveAttribute('data-state', 'ready');
  await expect(poolState).toHaveText(/^ready: 4 threads in \d+ ms$/);
  const size = page.getByTestId('pool-size');
  await expect(size).toHaveAttribute('data-threads', '4');
  await expect(size).toHaveAttribute('data-reason', 'address');
  await expect(size).toHaveText(`4 threads: \`pool=4\` in the address (this machine has ${processors(hardwareConcurrency)})`);
  // A job sent to every pool thread reached all four, whatever the machine has.
  await expect(page.getByTestId('probe')).toHaveAttribute('data-threads', '4');

  // Every link loads a page that starts its own pool: each names the size.
  const links = page.locator('nav.experiments a, [data-testid="open-experiment"]');
  expect(await links.count()).toBeGreaterThan(0);
  for (const href of await links.evaluateAll((all) => all.map((link) => link.getAttribute('href') ?? ''))) {
    expect(href).toMatch(/[?&]pool=4(&|$)/);
  }
  await page.locator('[data-testid="experiment-card"][data-exp="cpu"]').getByTestId('open-experiment').click();
  await expect(page).toHaveURL(/\?exp=cpu&.*pool=4/);
  await expect(page.locator('#workers')).toHaveValue('4');
});

test('pool=4 is the default of a threads run, and stays in the address', async ({ page }) => {
  const work = 'workload=sum&size=2000000&tasks=8&mode=threads';
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=cpu&pool=4&${work}&run=1`);
  await expect(page.locator('#workers')).toHaveValue('4');
  const row = page.getByTestId('run-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  await expect(row).toHaveAttribute('data-workers', '4');
  await expect(page.getByTestId('timeline').locator('canvas')).toHaveAttribute('aria-label', /Threads, 4 workers: /);
  // A change in the form rewrites the address and keeps the pool's size.
  await page.locator('#tasks').fill('6');
  await page.locator('#tasks').dispatchEvent('change');
  await expect(page).toHaveURL(/tasks=6.*pool=4/);
});

test('pool=4 is said in Chinese too', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=home&pool=4&lang=zh-CN`);
  const hardwareConcurrency = await page.evaluate(() => navigator.hardwareConcurrency);
  await expect(page.getByTestId('pool-state')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('pool-size')).toHaveText(`4 个线程：地址中的 \`pool=4\`（这台机器有 ${hardwareConcurrency} 个逻辑处理器）`);
});

test('pool=0 is a problem in the address notice, and the pool starts with its default size', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=home&pool=0`);
  const threads = await defaultThreads(page);
  const problem = page.getByTestId('query-problems').locator('[data-key="pool"]');
  await expect(problem).toHaveText(
    '`pool=0` is not valid: pool must be a whole number from 1 to 16. Using one thread per logical processor instead.',
  );
  await expect(page.getByTestId('pool-state')).toHaveAttribute('data-state', 'ready');
  const size = page.getByTestId('pool-size');
  await expect(size).toHaveAttribute('data-threads', String(threads));
  await expect(size).toHaveAttribute('data-reason', 'logical-processors');
  await expect(size).toHaveText(new RegExp(`^${threads} threads?: one per logical processor`));
  await expect(page.getByTestId('probe')).toHaveAttribute('data-threads', String(threads));
  // No size was asked for: the links leave it out.
  for (const href of await page.locator('nav.experiments a').evaluateAll((all) => all.map((link) => link.getAttribute('href') ?? ''))) {
    expect(href).not.toContain('pool=');
  }

  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=cpu&mode=threads&pool=0`);
  await expect(page.getByTestId('query-problems').locator('[data-key="pool"]')).toContainText('`pool=0` is not valid');
  await expect(page.locator('#workers')).toHaveValue(String(threads));
});
