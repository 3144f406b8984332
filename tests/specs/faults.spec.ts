import type { Page } from '@playwright/test';
import { test, expect, serverUrl } from './fixtures';

// Faults injected through `fault=` (issue: trustworthy under every fault):
// each run that suffers one ends saying what was lost, and the page keeps
// working.

const SMALL_SUM = 'exp=cpu&workload=sum&size=200000&tasks=8&workers=2';

async function latestRow(page: Page) {
  const row = page.getByTestId('run-row').last();
  await expect(row).not.toHaveAttribute('data-outcome', 'in-progress', { timeout: 60_000 });
  return row;
}

test.describe('a task that panics on its pool thread', () => {
  // The dying thread's panic, as the hook prints it, and the trap that
  // ends its worker: the fault itself, not a defect.
  test.use({ allowedConsoleErrors: [/fault=panic: task 4 panicked/], allowedPageErrors: [/^unreachable$/] });

  test('breaks the pool: the run says so, every page offers a reload, isolated workers still run', async ({ page }) => {
    await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?${SMALL_SUM}&mode=threads&fault=panic`);
    // Run is enabled once the pool is ready.
    await page.getByTestId('run').click();
    const failed = await latestRow(page);
    await expect(failed).toHaveAttribute('data-outcome', 'failed');
    await expect(failed).toContainText('fault=panic: task 4 panicked');

    const notice = page.getByTestId('pool-broken');
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('reload the page');
    // No run may start on the broken pool...
    await expect(page.getByTestId('run')).toBeDisabled();
    // ...but isolated workers have memories of their own.
    await page.locator('#fault').selectOption('none');
    await page.locator('#mode').selectOption('workers');
    await page.getByTestId('run').click();
    const isolated = await latestRow(page);
    await expect(isolated).toHaveAttribute('data-outcome', 'complete');
    await expect(isolated).toHaveAttribute('data-tasks-done', '8');

    // The reload starts a new pool, on which threads run again.
    await page.locator('#mode').selectOption('threads');
    await page.getByTestId('reload').click();
    await expect(page.getByTestId('pool-broken')).toHaveCount(0);
    await page.locator('#fault').selectOption('none');
    await page.getByTestId('run').click();
    const threads = await latestRow(page);
    await expect(threads).toHaveAttribute('data-outcome', 'complete');
    await expect(threads).toHaveAttribute('data-mode', 'threads');
  });
});

test('an isolated worker terminated mid-run: the run names the task lost, the others finish, the next run succeeds', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?${SMALL_SUM}&mode=workers&fault=terminate`);
  await page.getByTestId('run').click();
  const failed = await latestRow(page);
  await expect(failed).toHaveAttribute('data-outcome', 'failed');
  await expect(failed).toContainText(/worker \d failed on task 1: the worker was terminated before answering; task 1 was lost/);
  // One task lost with its worker; the other worker ran the other seven.
  await expect(failed).toHaveAttribute('data-tasks-done', '7');

  await page.locator('#fault').selectOption('none');
  await page.getByTestId('run').click();
  const next = await latestRow(page);
  await expect(next).toHaveAttribute('data-outcome', 'complete');
  await expect(next).toHaveAttribute('data-tasks-done', '8');
});
