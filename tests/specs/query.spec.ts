import { test, expect, serverUrl } from './fixtures';

test('bad query values show a message, the address is kept, and the page still works', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=nonsense&colour=red`);
  const problems = page.getByTestId('query-problems');
  await expect(problems).toBeVisible();
  await expect(problems.locator('[data-key="exp"]')).toContainText('`exp=nonsense` is not valid');
  await expect(problems.locator('[data-key="exp"]')).toContainText('`home`');
  await expect(problems.locator('[data-key="colour"]')).toContainText('is not a parameter of this page');
  expect(page.url()).toContain('exp=nonsense');
  await expect(page.getByTestId('pool-state')).toHaveAttribute('data-state', 'ready');
});

test('a clean address shows no problems', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=home`);
  await expect(page.getByTestId('pool-state')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('query-problems')).toHaveCount(0);
});
