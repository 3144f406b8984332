import { test, expect, serverUrl, latestSpans, waitForRuns, type SpanRow } from './fixtures';

function overlaps(a: SpanRow, b: SpanRow): boolean {
  return a.start < b.end && b.start < a.end;
}

/** A lane is one worker: it does one thing at a time. */
function expectNoOverlapOnAnyLane(spans: SpanRow[]) {
  const onLanes = spans.filter((span) => span.lane !== '');
  for (const [index, a] of onLanes.entries()) {
    for (const b of onLanes.slice(index + 1)) {
      if (a.lane === b.lane) expect(overlaps(a, b), `lane ${a.lane}: ${a.state} ${a.task} and ${b.state} ${b.task}`).toBe(false);
    }
  }
}

const SMALL_WORK = [
  'workload=sum&size=2000000&tasks=8',
  'workload=primes&tasks=6',
  'workload=blur&size=128&tasks=8',
  'workload=mandelbrot&size=128&tasks=8',
];

for (const mode of ['threads', 'workers', 'gil']) {
  test(`${mode}: every workload's results equal sequential`, async ({ page }) => {
    for (const work of SMALL_WORK) {
      await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=cpu&${work}&mode=${mode}&workers=2`);
      await page.getByTestId('compare').click();
      const rows = await waitForRuns(page, 2);
      await expect(rows.nth(0)).toHaveAttribute('data-mode', 'sequential');
      await expect(rows.nth(1)).toHaveAttribute('data-mode', mode);
      for (const row of await rows.all()) {
        await expect(row, work).toHaveAttribute('data-outcome', 'complete');
      }
      await expect(rows.nth(1), work).toHaveAttribute('data-matches', 'true');
      const digests = await rows.evaluateAll((all) => all.map((row) => (row as HTMLElement).dataset.digest));
      expect(digests[0]).toMatch(/^[0-9a-f]{16}$/);
      expect(digests[1]).toBe(digests[0]);
    }
  });
}

test('threads with k=2 run on 2 lanes at the same time; every task runs once', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=cpu&workload=sum&size=5000000&tasks=8&mode=threads&workers=2&run=1`);
  await waitForRuns(page, 1);
  const spans = await latestSpans(page);
  expectNoOverlapOnAnyLane(spans);
  const running = spans.filter((span) => span.state === 'running');
  expect(running.map((span) => span.task).sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
  const lanes = [...new Set(running.map((span) => span.lane))];
  expect(lanes).toHaveLength(2);
  const [first, second] = lanes.map((lane) => running.filter((span) => span.lane === lane));
  expect(first.some((a) => second.some((b) => overlaps(a, b)))).toBe(true);
  // The timeline draws the run's two lanes, and says so to screen readers.
  const timeline = page.getByTestId('timeline').locator('canvas');
  await expect(timeline).toHaveAttribute('data-runs', '1');
  await expect(timeline).toHaveAttribute('data-lanes', '2');
  await expect(timeline).toHaveAttribute('aria-label', /Threads, 2 workers: .* on 2 lanes/);

  // Keyboard zoom and pan change the visible range; 0 shows everything again.
  const range = async () => [Number(await timeline.getAttribute('data-view-start')), Number(await timeline.getAttribute('data-view-end'))];
  const [fullStart, fullEnd] = await range();
  expect(fullStart).toBe(0);
  await timeline.focus();
  await page.keyboard.press('+');
  const [zoomedStart, zoomedEnd] = await range();
  expect(zoomedEnd - zoomedStart).toBeCloseTo((fullEnd - fullStart) / 1.5, 6);
  await page.keyboard.press('ArrowRight');
  const [pannedStart, pannedEnd] = await range();
  expect(pannedStart).toBeGreaterThan(zoomedStart);
  expect(pannedEnd - pannedStart).toBeCloseTo(zoomedEnd - zoomedStart, 6);
  await page.keyboard.press('0');
  expect(await range()).toEqual([fullStart, fullEnd]);

  // Hovering a lane shows the span under the pointer.
  const box = await timeline.boundingBox();
  const spansNow = await latestSpans(page);
  const firstRunning = spansNow.filter((span) => span.state === 'running').sort((a, b) => a.start - b.start)[0];
  const plotWidth = (box?.width ?? 0) - 96 - 8;
  const x = 96 + ((firstRunning.start + firstRunning.end) / 2 / fullEnd) * plotWidth;
  // Rows: axis 22 px, run header 20 px, then lanes of 14 px with 3 px gaps.
  const laneIndex = [...new Set(spansNow.filter((s) => s.lane !== '').map((s) => Number(s.lane)))].sort().indexOf(Number(firstRunning.lane));
  const y = 22 + 20 + laneIndex * 17 + 7;
  await timeline.hover({ position: { x, y } });
  await expect(page.getByTestId('timeline-tooltip')).toContainText(`task ${firstRunning.task} on thread ${Number(firstRunning.lane) + 1}, running`);

  // The spans export as CSV, one row per span.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-csv').click()]);
  const fs = await import('node:fs');
  const csv = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('run,task,lane,state,start_ms,end_ms,duration_ms');
  expect(csv).toHaveLength(spansNow.length + 1);
});

test('the global lock never lets two tasks run at once', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=cpu&workload=sum&size=3000000&tasks=8&mode=gil&workers=2&run=1`);
  await waitForRuns(page, 1);
  const spans = await latestSpans(page);
  const running = spans.filter((span) => span.state === 'running');
  expect(running).toHaveLength(8);
  for (const [index, a] of running.entries()) {
    for (const b of running.slice(index + 1)) expect(overlaps(a, b), `${a.task} and ${b.task}`).toBe(false);
  }
  expect(spans.some((span) => span.state === 'waiting-for-lock')).toBe(true);
});

test.describe('a page that is not isolated', () => {
  test.use({ serviceWorkers: 'block' });

  test('isolated workers still run, and compute what sequential computes', async ({ page, browser }) => {
    const work = 'workload=mandelbrot&size=160&tasks=6';
    const isolatedPage = await browser.newPage();
    await isolatedPage.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=cpu&${work}&mode=sequential&run=1`);
    const sequentialRow = (await waitForRuns(isolatedPage, 1)).first();
    const sequentialDigest = await sequentialRow.getAttribute('data-digest');
    await isolatedPage.close();

    await page.goto(`${serverUrl('OVERLAP_OPEN_URL')}?exp=cpu&${work}&mode=threads`);
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(false);
    // Threads cannot run here, and the page says why next to the mode.
    await expect(page.getByTestId('run')).toBeDisabled();
    await expect(page.locator('.field', { has: page.locator('#mode') })).toContainText('needs threads, which are off');

    await page.locator('#mode').selectOption('workers');
    expect(page.url()).toContain('mode=workers');
    await page.getByTestId('run').click();
    const row = (await waitForRuns(page, 1)).first();
    await expect(row).toHaveAttribute('data-outcome', 'complete');
    await expect(row).toHaveAttribute('data-digest', sequentialDigest ?? 'missing');
    const spans = await latestSpans(page);
    expectNoOverlapOnAnyLane(spans);
    expect(spans.filter((span) => span.state === 'running').map((span) => span.task).sort()).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(spans.filter((span) => span.state === 'starting').length).toBeGreaterThan(0);
    expect(spans.filter((span) => span.state === 'serialising').length).toBeGreaterThan(0);
    await expect(page.getByTestId('result-picture')).toBeVisible();
  });
});

test('Cancel stops tasks not yet started, says how many ran, and the page keeps working', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=cpu&workload=sum&size=40000000&tasks=64&mode=sequential&run=1`);
  const progress = page.getByTestId('progress');
  await expect(progress).toContainText(/^.*[2-9]\/64 tasks|[1-9]\d\/64 tasks/);
  await page.getByTestId('cancel').click();
  const row = (await waitForRuns(page, 1)).first();
  await expect(row).toHaveAttribute('data-outcome', 'cancelled');
  const ran = Number(await row.getAttribute('data-tasks-done'));
  expect(ran).toBeGreaterThanOrEqual(2);
  expect(ran).toBeLessThan(64);
  await expect(row).toContainText(`${ran} of 64 tasks ran, ${64 - ran} were never started`);

  await page.locator('#size').fill('1000');
  await page.locator('#size').dispatchEvent('change');
  await page.getByTestId('run').click();
  const rows = await waitForRuns(page, 2);
  await expect(rows.nth(1)).toHaveAttribute('data-outcome', 'complete');
});

test('bad parameters get a message next to the field and the last good value stays', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=cpu&workload=sum&mode=threads&workers=99`);
  const workersField = page.locator('.field', { has: page.locator('#workers') });
  await expect(workersField).toContainText('`workers=99` is not valid');
  await page.locator('#tasks').fill('500');
  await page.locator('#tasks').dispatchEvent('change');
  const tasksField = page.locator('.field', { has: page.locator('#tasks') });
  await expect(tasksField).toContainText('tasks must be a whole number from 1 to 64');
  await expect(page.locator('#tasks')).toHaveValue('500');
  await expect(page.getByTestId('run')).toBeDisabled();
  await page.locator('#tasks').fill('4');
  await page.locator('#tasks').dispatchEvent('change');
  await expect(tasksField).not.toContainText('must be');
  expect(page.url()).toContain('tasks=4');
});

test('the downloaded trace parses and has one running event per task', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=cpu&workload=primes&tasks=6&mode=threads&workers=2`);
  await page.getByTestId('compare').click();
  await waitForRuns(page, 2);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-trace').click()]);
  expect(download.suggestedFilename()).toBe('overlap-trace.json');
  const path = await download.path();
  const fs = await import('node:fs');
  const trace = JSON.parse(fs.readFileSync(path, 'utf8'));
  const running = trace.traceEvents.filter((event: { ph: string; args?: { state?: string } }) => event.ph === 'X' && event.args?.state === 'running');
  for (const pid of [1, 2]) {
    const tasks = running.filter((event: { pid: number }) => event.pid === pid).map((event: { args: { task: number } }) => event.args.task);
    expect(tasks.sort()).toEqual([0, 1, 2, 3, 4, 5]);
  }
  for (const event of trace.traceEvents.filter((e: { ph: string }) => e.ph === 'X')) {
    expect(event.ts).toBeGreaterThanOrEqual(0);
    expect(event.dur).toBeGreaterThanOrEqual(0);
  }
});
