import { test, expect, serverUrl } from './fixtures';

test('the front page is the map: every experiment of the registry as a card, in the path order, each opening ready to run', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=home`);
  const cards = page.getByTestId('experiment-card');
  // The registry's experiments with a card, in the notes' order.
  await expect(cards).toHaveCount(12);
  expect(await cards.evaluateAll((all) => all.map((card) => (card as HTMLElement).dataset.exp))).toEqual(['timeline-demo', 'fetch', 'futures', 'asyncio', 'cpu', 'race', 'lockstep', 'deadlock', 'thread-local', 'queue', 'sweep', 'load']);
  for (const card of await cards.all()) {
    await expect(card.locator('.lesson')).not.toBeEmpty();
    await expect(card.locator('.idea-from')).not.toBeEmpty();
  }
  // The navigation lists the same experiments.
  await expect(page.locator('nav.experiments a')).toHaveCount(13);
  // A card's link opens its experiment with the parameters it names, ready to run.
  await cards.nth(4).getByTestId('open-experiment').click();
  await expect(page).toHaveURL(/\?exp=cpu&workload=primes&mode=threads$/);
  await expect(page.getByTestId('run')).toBeEnabled();
  await expect(page.locator('#mode')).toHaveValue('threads');
});
