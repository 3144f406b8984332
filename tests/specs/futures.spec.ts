import { test, expect, serverUrl, downloadResults } from './fixtures';

// What CPython 3.11 prints for each scenario's program with two workers
// (core's test runs the programs on CPython and holds the page's model to
// them; these lines are written out here so that the page is held to them
// too, whatever the model says).
const PRINTED: Record<string, string[]> = {
  map: ['map -> 10', 'map -> 20', 'map -> 30', 'map -> 40'],
  as_completed: ['as_completed -> future 2: 20', 'as_completed -> future 1: 10', 'as_completed -> future 3: 30', 'as_completed -> future 4: 40'],
  cancel: [
    'future 1: cancel() -> False (running)',
    'future 3: cancel() -> True (cancelled)',
    'future 3: result() -> CancelledError()',
    'future 1: result() -> 10',
    'future 1: cancel() -> False (finished)',
    'future 1: finished',
    'future 2: running',
    'future 3: cancelled',
  ],
  timeout: ['future 2: result(timeout=0.3) -> 20', 'future 1: result(timeout=0.1) -> TimeoutError()', 'future 1: done() -> False (running)', 'future 1: result() -> 10'],
  callbacks: [
    'future 1: add_done_callback() (running)',
    'future 2: add_done_callback() (running)',
    'future 3: add_done_callback() (pending)',
    'callback: future 1 -> 10',
    "callback: future 3 -> ValueError('task 3 failed')",
    'callback: future 2 -> 20',
    'future 1: add_done_callback() (finished)',
    'callback: future 1 -> 10',
  ],
  exception: ["future 1: result() -> ValueError('task 1 failed')", "future 1: exception() -> ValueError('task 1 failed')", 'future 2: exception() -> None'],
  wait: ['wait(FIRST_COMPLETED) -> done [1], not done [2, 3]', 'wait(FIRST_EXCEPTION) -> done [1, 2], not done [3]', 'wait(ALL_COMPLETED) -> done [1, 2, 3], not done []'],
  shutdown: [
    'shutdown(cancel_futures=True) returned',
    'future 1: finished',
    'future 2: finished',
    'future 3: cancelled',
    'future 4: cancelled',
    "submit() -> RuntimeError('cannot schedule new futures after shutdown')",
  ],
};

/** The lines of the output panel, without the time before each. */
async function printedLines(page: import('@playwright/test').Page): Promise<string[]> {
  const text = (await page.getByTestId('printed').textContent()) ?? '';
  return text.split('\n').filter(Boolean).map((line) => line.replace(/^\s*[\d.]+ s {2}/, ''));
}

test('every scenario prints what CPython prints, in its order, with tasks on two pool threads', async ({ page }) => {
  for (const [scenario, lines] of Object.entries(PRINTED)) {
    await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=futures&scenario=${scenario}&run=1`);
    const row = page.getByTestId('run-row');
    await expect(row, scenario).toHaveAttribute('data-outcome', 'complete', { timeout: 30_000 });
    expect(await printedLines(page), scenario).toEqual(lines);
    await expect(row, scenario).toHaveAttribute('data-printed-as-python', 'true');
    // Every future on a lane of its own, after the main thread's.
    if (scenario === 'map') await expect(page.locator('[data-testid="timeline"] canvas')).toHaveAttribute('aria-label', /: [\d.]+ m?s on 5 lanes\.$/);
  }
  await expect(page.getByTestId('python')).toContainText('executor.shutdown(wait=True, cancel_futures=True)');
});

test('result(timeout) raises on time and the task keeps running; Compare plays 1 worker, then 2', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=futures&scenario=timeout&run=1`);
  await expect(page.getByTestId('run-row')).toHaveAttribute('data-outcome', 'complete', { timeout: 30_000 });
  // `future 1: result(timeout=0.1)` is called at 0.2 s (when future 2's
  // result came) and gives up at 0.3 s; future 1 ends at 0.5 s.
  const text = (await page.getByTestId('printed').textContent()) ?? '';
  const at = (line: string) => Number(text.split('\n').find((shown) => shown.endsWith(line))?.trim().split(' ')[0]);
  expect(at('future 1: result(timeout=0.1) -> TimeoutError()')).toBeGreaterThanOrEqual(0.3);
  // The wait ended, not the task: its result comes after, at its own end.
  expect(at('future 1: result() -> 10')).toBeGreaterThan(at('future 1: result(timeout=0.1) -> TimeoutError()'));
  expect(at('future 1: result() -> 10')).toBeGreaterThanOrEqual(0.5);

  await page.locator('#scenario').selectOption('as_completed');
  await page.getByTestId('compare').click();
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(2)).toHaveAttribute('data-outcome', 'complete', { timeout: 30_000 });
  await expect(rows.nth(1)).toHaveAttribute('data-workers', '1');
  await expect(rows.nth(2)).toHaveAttribute('data-workers', '2');
  const results = await downloadResults(page);
  expect(results.experiment).toBe('futures');
  const [, one, two] = results.runs;
  expect(one.params).toMatchObject({ scenario: 'as_completed', workers: 1 });
  // One worker runs them in turn: as_completed's order is the submission's.
  expect(one.figures.log).toEqual(['as_completed -> future 1: 10', 'as_completed -> future 2: 20', 'as_completed -> future 3: 30', 'as_completed -> future 4: 40']);
  expect(two.figures.log).toEqual(PRINTED.as_completed);
  for (const run of [one, two]) {
    expect(run.figures).toMatchObject({ states: ['finished', 'finished', 'finished', 'finished'], outcomes: ['10', '20', '30', '40'], printed_as_python: true });
  }
  // 6 + 3 + 4 + 2 seconds in turn, against 8 with two workers.
  expect(one.figures.time_ms).toBeGreaterThan(two.figures.time_ms);
});

test('the sandbox: submit, cancel a pending future, cancel() refused on a running one, result(timeout), a bad length told beside its field, shutdown', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=futures&scenario=sandbox&unit_ms=1000`);
  const sandbox = page.getByTestId('sandbox');
  const main = page.getByTestId('sandbox-main');
  await expect(page.getByTestId('compare')).toBeDisabled();
  await page.getByTestId('run').click();
  await expect(main).toHaveAttribute('data-free', 'true', { timeout: 30_000 });
  // Tasks of 30 s: nothing below can outlast them.
  await page.getByTestId('sandbox-seconds').fill('30');
  for (let submitted = 1; submitted <= 3; submitted += 1) {
    await page.getByTestId('sandbox-submit').click();
    await expect(sandbox.getByTestId('sandbox-future')).toHaveCount(submitted);
    await expect(main).toHaveAttribute('data-free', 'true');
  }
  const future = (number: number) => sandbox.locator(`[data-testid="sandbox-future"][data-future="${number}"]`);
  // Two workers: futures 1 and 2 run, 3 waits in the queue.
  await expect(future(1)).toHaveAttribute('data-state', 'running');
  await expect(future(3)).toHaveAttribute('data-state', 'pending');
  await future(3).getByTestId('sandbox-cancel').click();
  await expect(future(3)).toHaveAttribute('data-state', 'cancelled');
  await expect(main).toHaveAttribute('data-free', 'true');
  await future(1).getByTestId('sandbox-cancel').click();
  await expect(page.getByTestId('printed')).toContainText('future 1: cancel() -> False (running)');
  await expect(main).toHaveAttribute('data-free', 'true');
  await page.getByTestId('sandbox-timeout').fill('0.5');
  await future(1).getByTestId('sandbox-result').click();
  // The main thread waits in result(): no call can be made meanwhile.
  await expect(main).toHaveAttribute('data-free', 'false');
  await expect(page.getByTestId('sandbox-submit')).toBeDisabled();
  await expect(page.getByTestId('printed')).toContainText('future 1: result(timeout=0.5) -> TimeoutError()', { timeout: 5_000 });
  await expect(main).toHaveAttribute('data-free', 'true');
  await expect(future(1)).toHaveAttribute('data-state', 'running');

  // A length out of range: told beside the field, kept as typed, no submit.
  await page.getByTestId('sandbox-seconds').fill('99');
  await expect(sandbox.locator('.field-message').first()).toHaveText('Enter a number of seconds from 0.1 to 30.');
  await expect(page.getByTestId('sandbox-submit')).toBeDisabled();
  await expect(page.getByTestId('sandbox-seconds')).toHaveValue('99');

  // The Python of what was called, with the learner's pauses as sleeps.
  const python = page.getByTestId('python');
  await expect(python).toContainText('f3 = executor.submit(do_something, 3, 30)');
  await expect(python).toContainText("print(f'future 3: cancel() -> {f3.cancel()} ({state(f3)})')");
  await expect(python).toContainText('outcome(f1, 0.5)');
  await expect(python).toContainText('time.sleep(');
  // Cancel ends the run: the tasks leave their threads at once.
  await page.getByTestId('cancel').click();
  const rows = page.getByTestId('run-row');
  await expect(rows.first()).toHaveAttribute('data-outcome', 'cancelled', { timeout: 5_000 });

  // A new executor: a short task, then shutdown() waits for it.
  await page.getByTestId('run').click();
  await expect(main).toHaveAttribute('data-free', 'true', { timeout: 30_000 });
  await page.getByTestId('sandbox-seconds').fill('0.5');
  await page.getByTestId('sandbox-submit').click();
  await page.getByTestId('sandbox-shutdown').click();
  await expect(rows.nth(1)).toHaveAttribute('data-outcome', 'complete', { timeout: 15_000 });
  await expect(page.getByTestId('printed')).toContainText('shutdown() returned');
  const results = await downloadResults(page);
  expect(results.runs[0].complete).toBe(false);
  expect(results.runs[0].figures).toMatchObject({ states: ['running', 'running', 'cancelled'], printed_as_python: null });
  expect(results.runs[1].figures).toMatchObject({ states: ['finished'], outcomes: ['10'], log: ['shutdown() returned'], printed_as_python: null });
});

test('Cancel stops the tasks on their threads, the next run has the pool; a bad unit is told beside its field', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=futures&scenario=map&unit_ms=1000&run=1`);
  const rows = page.getByTestId('run-row');
  await expect(rows.first()).toHaveAttribute('data-outcome', 'in-progress', { timeout: 30_000 });
  await page.getByTestId('cancel').click();
  await expect(rows.first()).toHaveAttribute('data-outcome', 'cancelled', { timeout: 5_000 });
  const unit = page.locator('#unit_ms');
  await unit.fill('5');
  await unit.press('Tab');
  await expect(page.locator('.field', { has: unit })).toContainText("unit_ms must be a whole number from 50 to 1000");
  await expect(page.getByTestId('run')).toBeDisabled();
  await unit.fill('100');
  await unit.press('Tab');
  await page.locator('#scenario').selectOption('as_completed');
  await page.getByTestId('run').click();
  await expect(rows.nth(1)).toHaveAttribute('data-outcome', 'complete', { timeout: 30_000 });
  // as_completed's order needs both threads back: with one, it would be
  // the submission's, not CPython's for two workers.
  await expect(rows.nth(1), (await page.getByTestId('printed').textContent()) ?? '').toHaveAttribute('data-printed-as-python', 'true');
});
