import { test, expect, serverUrl, waitForRuns } from './fixtures';

// Predict, then run: a committed prediction is shown against what the run
// measured (in words, and on the timeline for a makespan), and `predict=1`
// keeps Run, Compare and `run=1` waiting until a prediction is committed.

const page_ = (query: string) => `${serverUrl('OVERLAP_ISOLATED_URL')}?${query}`;

test('cpu: a fraction committed before Compare is shown against the measured one, and marked on the timeline', async ({ page }) => {
  await page.goto(page_('exp=cpu&workload=sum&size=4000000&tasks=8&mode=threads&workers=2'));
  const prediction = page.getByTestId('prediction');
  await expect(prediction).toHaveAttribute('data-state', 'draft');
  await expect(prediction).toHaveAttribute('data-required', 'false');
  await expect(page.getByTestId('prediction-question')).toContainText('What fraction of the sequential run');
  // Offered, not required: Run and Compare are not held back.
  await expect(page.getByTestId('compare')).toBeEnabled();
  await page.getByTestId('prediction-slider').fill('0.4');
  await expect(page.getByTestId('prediction-value')).toHaveText('0.40 of the first (40%)');
  await page.getByTestId('commit-prediction').click();
  await expect(prediction).toHaveAttribute('data-state', 'committed');
  await expect(page.getByTestId('prediction-committed')).toHaveText('Your prediction: 0.40 of the first (40%).');

  await page.getByTestId('compare').click();
  const rows = await waitForRuns(page, 2);
  await expect(prediction).toHaveAttribute('data-state', 'answered');
  const result = page.getByTestId('prediction-result');
  await expect(result).toHaveAttribute('data-predicted', '0.40 of the first (40%)');
  await expect(result).toHaveAttribute('data-verdict', /^(right|close|off)$/);
  // What was measured is the runs' own: the second makespan over the first.
  const [sequentialMs, threadsMs] = await rows.evaluateAll((all) => all.map((row) => Number((row as HTMLElement).dataset.makespanMs)));
  const percent = Math.round((threadsMs / sequentialMs) * 100);
  await expect(result).toHaveAttribute('data-measured', `${(percent / 100).toFixed(2)} of the first (${percent}%)`);
  await expect(result).toContainText('Predicted: 0.40 of the first (40%). Measured:');
  await expect(result).toHaveAttribute('data-run', await rows.nth(1).getAttribute('data-run') ?? '');
  // Against the ceiling the sequential run's tasks allow on 2 threads:
  // reached at best, or passed when that run was slowed (a busy machine).
  await expect(page.getByTestId('prediction-why')).toContainText(/On 2 threads these tasks allow at best|these tasks allow on 2 threads/);
  // The marker: the predicted makespan, 0.4 of the sequential run's.
  const marker = Number(await page.locator('[data-testid="timeline"] canvas').getAttribute('data-marker-ms'));
  expect(marker).toBeCloseTo(0.4 * sequentialMs, 1);
  // A later run does not change a prediction already answered.
  await page.getByTestId('run').click();
  await waitForRuns(page, 3);
  await expect(result).toHaveAttribute('data-run', await rows.nth(1).getAttribute('data-run') ?? '');
  await page.getByTestId('predict-again').click();
  await expect(prediction).toHaveAttribute('data-state', 'draft');
});

test('race: the final n predicted is shown against the n the run left', async ({ page }) => {
  await page.goto(page_('exp=race&variant=lock&threads=2&increments=20000'));
  await expect(page.getByTestId('prediction-question')).toHaveText(
    '“Under a lock”: 2 threads each add 1 to n, 20,000 times, starting from n = 0. What will n be at the end?',
  );
  const commit = page.getByTestId('commit-prediction');
  await expect(commit).toBeDisabled();
  await page.getByTestId('prediction-number').fill('39000');
  await commit.click();
  await page.getByTestId('run').click();
  await waitForRuns(page, 1);
  const result = page.getByTestId('prediction-result');
  await expect(result).toHaveText('Predicted: 39,000. Measured: 40,000. Close: within 10% of the measured value.');
  await expect(result).toHaveAttribute('data-verdict', 'close');
  await expect(page.getByTestId('prediction-why')).toHaveText(
    'The lock lets one thread at a time read, add and write, so no update can be lost: n ends at 40,000.',
  );
  // Not a makespan: nothing is marked on the timeline.
  await expect(page.locator('[data-testid="timeline"] canvas')).not.toHaveAttribute('data-marker-ms', /./);
  // The answer stays with the question it answered when the form moves on;
  // predicting again asks the new one.
  await page.locator('#increments').fill('30000');
  await page.locator('#increments').press('Tab');
  await expect(page).toHaveURL(/increments=30000/);
  await expect(page.getByTestId('prediction-question')).toContainText('20,000 times');
  await expect(result).toBeVisible();
  await page.getByTestId('predict-again').click();
  await expect(page.getByTestId('prediction-question')).toContainText('30,000 times');
});

test('deadlock: "no" committed, then the run deadlocks: the cycle is the reason', async ({ page }) => {
  await page.goto(page_('exp=deadlock&scenario=locks'));
  await page.getByTestId('prediction-option').nth(1).check();
  await page.getByTestId('commit-prediction').click();
  await page.getByTestId('run').click();
  const result = page.getByTestId('prediction-result');
  // Answered while the cycle stands, before anyone breaks it.
  await expect(result).toHaveAttribute('data-verdict', 'off', { timeout: 30_000 });
  await expect(result).toHaveAttribute('data-measured', 'yes, it deadlocks');
  await expect(page.getByTestId('prediction-why')).toContainText('cycle: thread 1 → lock B → thread 2 → lock A → thread 1');
  await expect(page.getByTestId('run-row')).toHaveAttribute('data-outcome', 'in-progress');
  await page.getByTestId('break').click();
  await expect(page.getByTestId('run-row')).toHaveAttribute('data-outcome', 'complete', { timeout: 10_000 });
});

test('predict=1: Run and Compare wait for a committed prediction, and a new question asks again', async ({ page }) => {
  await page.goto(page_('exp=race&variant=atomic&threads=2&increments=1000&predict=1'));
  const prediction = page.getByTestId('prediction');
  await expect(prediction).toHaveAttribute('data-required', 'true');
  await expect(page.getByText('Run is unavailable: commit a prediction first.')).toBeVisible();
  await expect(page.getByTestId('run')).toBeDisabled();
  await expect(page.getByTestId('compare')).toBeDisabled();
  // A number out of range is no answer.
  await page.getByTestId('prediction-number').fill('-5');
  await expect(prediction.locator('.field-message')).toHaveText('give a number from 0 to 1,000,000,000,000');
  await expect(page.getByTestId('commit-prediction')).toBeDisabled();
  await page.getByTestId('prediction-number').fill('2000');
  await page.getByTestId('commit-prediction').click();
  await expect(page.getByTestId('run')).toBeEnabled();
  await expect(page.getByTestId('compare')).toBeEnabled();
  // Another variant asks another question: the prediction made for the
  // first is let go, and Run waits again.
  await page.locator('#variant').selectOption('lock');
  await expect(prediction).toHaveAttribute('data-state', 'draft');
  await expect(page.getByTestId('run')).toBeDisabled();
  await page.getByTestId('prediction-number').fill('2000');
  await page.getByTestId('commit-prediction').click();
  await page.getByTestId('run').click();
  await waitForRuns(page, 1);
  await expect(page.getByTestId('prediction-result')).toHaveAttribute('data-verdict', 'right');
  await expect(page).toHaveURL(/predict=1/);
});

test('run=1&predict=1: the run waits for the prediction, then starts by itself', async ({ page }) => {
  await page.goto(page_('exp=fetch&target=server&mode=gather&n=6&latency_ms=150&run=1&predict=1'));
  await expect(page.getByTestId('prediction')).toHaveAttribute('data-required', 'true');
  // Nothing runs before the prediction, however long the page waits.
  await page.waitForTimeout(1_500);
  await expect(page.getByTestId('run-row')).toHaveCount(0);
  await page.getByTestId('prediction-number').fill('150');
  await page.getByTestId('commit-prediction').click();
  const rows = await waitForRuns(page, 1);
  await expect(rows.first()).toHaveAttribute('data-outcome', 'complete');
  const result = page.getByTestId('prediction-result');
  await expect(result).toHaveAttribute('data-predicted', '150 ms');
  const makespanMs = Number(await rows.first().getAttribute('data-makespan-ms'));
  expect(makespanMs).toBeGreaterThanOrEqual(150);
  await expect(page.getByTestId('prediction-why')).toContainText('At most 6 requests could be in flight at once here');
  // A makespan: marked on the timeline at the 150 ms predicted.
  await expect(page.locator('[data-testid="timeline"] canvas')).toHaveAttribute('data-marker-ms', '150');
});

test('zh-CN: the question, the answer and the comparison are in Chinese', async ({ page }) => {
  await page.goto(page_('exp=deadlock&scenario=locks&fixed=1&lang=zh-CN'));
  await expect(page.getByTestId('prediction-question')).toHaveText('“两把锁，相反的顺序”，修正后：这次运行会死锁吗？');
  await page.getByTestId('prediction-option').nth(1).check();
  await page.getByTestId('commit-prediction').click();
  await expect(page.getByTestId('prediction-committed')).toHaveText('你的预测：不会，每个线程都会完成。');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('prediction-result')).toHaveText(
    '你的预测：不会，每个线程都会完成；实测：不会，每个线程都会完成。预测正确。',
    { timeout: 30_000 },
  );
  await expect(page.getByTestId('prediction-why')).toContainText('修正后不会形成等待环。');
});
