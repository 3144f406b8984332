import { test, expect, serverUrl } from './fixtures';

const page_ = (query: string) => `${serverUrl('OVERLAP_ISOLATED_URL')}?exp=thread-local&${query}`;

test('every thread keeps its own total and student; the totals add up to the shared one', async ({ page }) => {
  await page.goto(page_('threads=2&tasks=48'));
  await page.getByTestId('compare').click();
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(2, { timeout: 60_000 });
  for (const row of await rows.all()) {
    await expect(row).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
    // 1 + 2 + … + 48, three ways.
    await expect(row).toHaveAttribute('data-sum-of-locals', '1176');
    await expect(row).toHaveAttribute('data-shared-total', '1176');
    await expect(row).toHaveAttribute('data-expected', '1176');
    await expect(row).toHaveAttribute('data-kept-apart', 'true');
  }
  // One lane: one thread did everything.
  await expect(rows.nth(0)).toHaveAttribute('data-threads-used', '1');
  const students = page.getByTestId('student-row');
  const used = Number(await rows.nth(1).getAttribute('data-threads-used'));
  await expect(students).toHaveCount(used);
  for (const row of await students.all()) await expect(row).toHaveAttribute('data-saw-other', '0');
  // Every task appears once among the threads' lists.
  const tasks = (await students.evaluateAll((all) => all.map((row) => row.children[2].textContent ?? '')))
    .flatMap((text) => text.split(', '))
    .map(Number)
    .sort((a, b) => a - b);
  expect(tasks).toEqual(Array.from({ length: 48 }, (_, index) => index + 1));
});

test('a page keeps its latest 12 runs and says when it let older ones go', async ({ page }) => {
  await page.goto(page_('threads=2&tasks=8'));
  const rows = page.getByTestId('run-row');
  const run = page.getByTestId('run');
  for (let count = 1; count <= 13; count += 1) {
    await expect(run).toBeEnabled({ timeout: 60_000 });
    await run.click();
    await expect(rows.last()).toHaveAttribute('data-run', String(count), { timeout: 60_000 });
    await expect(rows.last()).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
    if (count === 12) await expect(page.getByTestId('runs-let-go')).toHaveCount(0);
  }
  await expect(rows).toHaveCount(12);
  await expect(rows.first()).toHaveAttribute('data-run', '2');
  await expect(page.getByTestId('runs-let-go')).toHaveText(
    'The page keeps the latest 12 runs: runs before #2 were let go. Download results holds the runs kept.',
  );
});
