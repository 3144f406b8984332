// The browser half of `cargo xtask bench`: drives the release build in
// Debian's Chromium through the pages' own controls and writes what it
// measured, raw (every repetition), as JSON. xtask adds the native figures,
// computes medians and ratios, and prints the table. Run it through
// `cargo xtask bench`, which builds dist/ and starts the server.
//
// It fails only when it could not measure (a run failed, a result differed
// from sequential's, a page error); never because a figure is slow.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { chromiumCpuMs, cpuMsBetween } from './process_cpu.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const base = required('OVERLAP_URL');
const output = required('OVERLAP_BENCH_OUTPUT');
const quick = process.env.OVERLAP_BENCH_QUICK === '1';
const RUN_TIMEOUT_MS = 300_000;

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the benchmark with \`cargo xtask bench\``);
  return value;
}

const say = (message) => process.stderr.write(`bench: ${message}\n`);

const plan = {
  // Odd counts: a median is then the middle run, not the faster of two.
  loads: quick ? 3 : 5,
  cpuRepetitions: quick ? 1 : 3,
  workersWorkloads: quick ? ['mandelbrot'] : ['sum', 'primes', 'blur', 'mandelbrot'],
  workersRepetitions: quick ? 1 : 3,
  fetchRepetitions: quick ? 1 : 3,
  // Sixty requests one after another take six seconds: the quick run leaves them out.
  fetchSequentialN60: !quick,
  recordingRepetitions: quick ? 3 : 5,
  timelineFrames: quick ? 120 : 360,
};

const launchOptions = JSON.parse(readFileSync(join(here, '..', 'chromium.json'), 'utf8'));
const browser = await chromium.launch({ ...launchOptions, headless: true });

/** A browser context whose pages record long tasks; `fetched` lists what they fetched. */
async function newContext() {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const fetched = [];
  context.on('requestfinished', (request) => {
    const url = new URL(request.url());
    // Blob and data URLs are made in the page, not transferred.
    if (url.protocol === 'http:' || url.protocol === 'https:') fetched.push(url.pathname);
  });
  await context.addInitScript(() => {
    window.__overlapLongTasks = [];
    try {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__overlapLongTasks.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: 'longtask', buffered: true });
    } catch {
      // No Long Tasks API: nothing to record.
    }
  });
  return { context, fetched };
}

/** A page of `context`; `check()` throws if it had an error. */
async function openPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  const check = () => {
    if (problems.length > 0) throw new Error(`the page failed: ${problems.join('; ')}`);
  };
  return { page, check };
}

/**
 * Runs `measure(page, check)` on a new page of `context`, or of a context of
 * its own (a first visit: empty cache, no service worker yet).
 */
async function withPage(context, measure) {
  const own = context ? null : await newContext();
  const { page, check } = await openPage(context ?? own.context);
  try {
    return await measure(page, check, own?.fetched ?? []);
  } finally {
    await page.close();
    await own?.context.close();
  }
}

/**
 * Clicks `button` and waits until `rowCount` runs have ended; meanwhile
 * records the longest main-thread task (Long Tasks API: 50 ms and over) and
 * the longest gap between animation frames.
 */
async function runAndWatch(page, button, rowCount) {
  await page.evaluate(() => {
    window.__overlapWatch = { since: performance.now(), longestFrameMs: 0, watching: true };
    let last = performance.now();
    const tick = (now) => {
      const watch = window.__overlapWatch;
      if (!watch.watching) return;
      watch.longestFrameMs = Math.max(watch.longestFrameMs, now - last);
      last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.getByTestId(button).click();
  const rows = await waitForRuns(page, rowCount, 'raf');
  const watched = await page.evaluate(() => {
    const watch = window.__overlapWatch;
    watch.watching = false;
    const longTasks = window.__overlapLongTasks.filter((task) => task.start >= watch.since);
    return {
      longest_task_ms: Math.max(0, ...longTasks.map((task) => task.duration)),
      longest_frame_ms: watch.longestFrameMs,
    };
  });
  return { ...watched, rows };
}

/**
 * Waits until the page shows `rowCount` runs, every one ended, looking at
 * every frame (`'raf'`) or every `polling` ms; returns the rows' data.
 */
async function waitForRuns(page, rowCount, polling) {
  await page.waitForFunction(
    (count) => {
      const rows = [...document.querySelectorAll('[data-testid=run-row]')];
      return rows.length === count && rows.every((row) => row.dataset.outcome !== 'in-progress');
    },
    rowCount,
    { timeout: RUN_TIMEOUT_MS, polling },
  );
  return page.evaluate(() => [...document.querySelectorAll('[data-testid=run-row]')].map((row) => ({ ...row.dataset })));
}

function number(row, key) {
  const value = Number(row[key]);
  if (row[key] === undefined || row[key] === '' || !Number.isFinite(value)) {
    throw new Error(`run ${row.run} (${row.mode}) has no ${key}: ${JSON.stringify(row)}`);
  }
  return value;
}

function complete(row) {
  if (row.outcome !== 'complete') throw new Error(`run ${row.run} (${row.mode}) ended ${row.outcome}`);
  return row;
}

/**
 * The CPU page with `query` in `context`: once it can run, one run that is
 * not counted (the first run after a load pays for compiling and caching
 * still going on), then `button` (`run`, or `compare` for sequential then the
 * mode), waiting for `count` runs.
 */
async function cpuRuns(context, query, button, count) {
  return withPage(context, async (page, check) => {
    await page.goto(`${base}?exp=cpu&${query}`);
    await page.waitForSelector(`[data-testid=${button}]:not([disabled])`, { timeout: RUN_TIMEOUT_MS });
    await runAndWatch(page, 'run', 1);
    const watched = await runAndWatch(page, button, 1 + count);
    check();
    return { rows: watched.rows.slice(1).map(complete), longest_task_ms: watched.longest_task_ms, longest_frame_ms: watched.longest_frame_ms };
  });
}

/** Sequential, then the mode in `query`; the mode's result must equal sequential's. */
async function compareCpu(context, query) {
  const { rows, ...watched } = await cpuRuns(context, query, 'compare', 2);
  const [sequential, other] = rows;
  if (other.matches !== 'true') throw new Error(`${query}: the result differs from sequential's (${other.digest} vs ${sequential.digest})`);
  return { sequential, other, ...watched };
}

async function poolThreads(context) {
  return withPage(context, async (page, check) => {
    await page.goto(`${base}?exp=cpu`);
    await page.waitForSelector('[data-testid=compare]:not([disabled])', { timeout: RUN_TIMEOUT_MS });
    const threads = Number(await page.locator('#workers').inputValue());
    check();
    if (!(threads >= 1)) throw new Error('the CPU page shows no default worker count');
    return threads;
  });
}

async function measureLoads() {
  const samples = [];
  let fetched = [];
  for (let load = 0; load < plan.loads; load++) {
    // A first visit each time: a context of its own.
    await withPage(null, async (page, check, fetchedByPage) => {
      await page.goto(`${base}?exp=cpu`);
      await page.waitForFunction(() => performance.getEntriesByName('overlap-pool-ready').length > 0, null, { timeout: RUN_TIMEOUT_MS });
      check();
      samples.push(
        await page.evaluate(() => {
          const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
          const navigation = performance.getEntriesByType('navigation')[0];
          return {
            first_paint_ms: mark('first-paint'),
            first_contentful_paint_ms: mark('first-contentful-paint'),
            dom_content_loaded_ms: navigation?.domContentLoadedEventEnd ?? null,
            interactive_ms: mark('overlap-interactive'),
            pool_ready_ms: mark('overlap-pool-ready'),
            longest_task_ms: Math.max(0, ...window.__overlapLongTasks.map((task) => task.duration)),
          };
        }),
      );
      if (load === 0) fetched = [...new Set(fetchedByPage)];
    });
  }
  return { samples, fetched_paths: fetched };
}

async function measureCpu(context, threads) {
  const cpu = {};
  for (const workload of ['sum', 'primes', 'blur', 'mandelbrot']) {
    const runs = [];
    for (let repetition = 0; repetition < plan.cpuRepetitions; repetition++) {
      for (let k = 1; k <= threads; k++) {
        say(`cpu ${workload}, threads k=${k}, repetition ${repetition + 1}/${plan.cpuRepetitions}`);
        const compared = await compareCpu(context, `workload=${workload}&mode=threads&workers=${k}`);
        runs.push({
          k,
          sequential_ms: number(compared.sequential, 'makespanMs'),
          threads_ms: number(compared.other, 'makespanMs'),
          // Every task's running time summed: the same tasks, so more here
          // is each task taking longer when k run at once.
          sequential_busy_ms: number(compared.sequential, 'busyMs'),
          threads_busy_ms: number(compared.other, 'busyMs'),
          ceiling: number(compared.other, 'ceiling'),
          longest_task_ms: compared.longest_task_ms,
          longest_frame_ms: compared.longest_frame_ms,
        });
      }
    }
    cpu[workload] = runs;
  }
  return cpu;
}

// /proc counts in 10 ms ticks: runs one after another until the window is
// a second long, or until 10 runs (the page keeps its latest 12: the
// warm-up run and 10 more fit).
const SHARE_WINDOW_MS = 1000;
const SHARE_RUNS_AT_MOST = 10;

/**
 * Runs on every pool thread, with Chromium's CPU time by role read from
 * /proc before the first click and after the last run: how much of the
 * cores the workers got, and what the page's main thread, the rest of the
 * renderer, the GPU process and the browser took meanwhile. Unlike
 * `runAndWatch`, nothing here runs in the page at every frame (no frame
 * watch; the end is polled every 100 ms): the bench's own work would be
 * counted as the page's.
 */
async function measureCpuShare(context, threads) {
  const share = {};
  for (const workload of ['sum', 'primes', 'blur', 'mandelbrot']) {
    const runs = [];
    for (let repetition = 0; repetition < plan.cpuRepetitions; repetition++) {
      say(`cpu ${workload}, Chromium's CPU by thread, k=${threads}, repetition ${repetition + 1}/${plan.cpuRepetitions}`);
      runs.push(
        await withPage(context, async (page, check) => {
          await page.goto(`${base}?exp=cpu&workload=${workload}&mode=threads&workers=${threads}`);
          await page.waitForSelector('[data-testid=run]:not([disabled])', { timeout: RUN_TIMEOUT_MS });
          await runAndWatch(page, 'run', 1);
          // The window holds the runs' warm-ups and ends too: every role is
          // measured over the same window.
          const [before, startMs] = [chromiumCpuMs(), performance.now()];
          let rows = [];
          while (performance.now() - startMs < SHARE_WINDOW_MS && rows.length < SHARE_RUNS_AT_MOST) {
            await page.getByTestId('run').click();
            rows = (await waitForRuns(page, rows.length + 2, 100)).slice(1);
          }
          const [cpu_ms, window_ms] = [cpuMsBetween(before, chromiumCpuMs()), performance.now() - startMs];
          check();
          rows.forEach(complete);
          const sum = (key) => rows.reduce((total, row) => total + number(row, key), 0);
          return { runs: rows.length, makespan_ms: sum('makespanMs'), busy_ms: sum('busyMs'), window_ms, cpu_ms };
        }),
      );
    }
    share[workload] = runs;
  }
  return share;
}

async function measureWorkers(context, threads) {
  const workers = {};
  for (const workload of plan.workersWorkloads) {
    const runs = [];
    for (let repetition = 0; repetition < plan.workersRepetitions; repetition++) {
      say(`isolated workers ${workload}, k=${threads}, repetition ${repetition + 1}/${plan.workersRepetitions}`);
      const compared = await compareCpu(context, `workload=${workload}&mode=workers&workers=${threads}`);
      runs.push({
        sequential_ms: number(compared.sequential, 'makespanMs'),
        workers_ms: number(compared.other, 'makespanMs'),
        starting_ms: number(compared.other, 'startingMs'),
        serialising_ms: number(compared.other, 'serialisingMs'),
        longest_task_ms: compared.longest_task_ms,
        longest_frame_ms: compared.longest_frame_ms,
      });
    }
    workers[workload] = runs;
  }
  return workers;
}

/** One CPU run from the address (not `run=1`: the watch starts first). */
async function singleCpuRun(context, query) {
  const { rows, ...watched } = await cpuRuns(context, query, 'run', 1);
  return { row: rows[0], ...watched };
}

async function measureRecording(context, threads) {
  // Many short tasks: what recording costs is per task.
  const query = `workload=sum&size=3000000&tasks=64&mode=threads&workers=${threads}`;
  const runs = [];
  for (let repetition = 0; repetition < plan.recordingRepetitions; repetition++) {
    say(`recording on and off, repetition ${repetition + 1}/${plan.recordingRepetitions}`);
    // Each goes first every other time: neither gains from the order.
    const onFirst = repetition % 2 === 0;
    const first = await singleCpuRun(context, `${query}&record=${onFirst ? 'tasks' : 'lanes'}`);
    const second = await singleCpuRun(context, `${query}&record=${onFirst ? 'lanes' : 'tasks'}`);
    const [on, off] = onFirst ? [first, second] : [second, first];
    runs.push({
      on_ms: number(on.row, 'makespanMs'),
      off_ms: number(off.row, 'makespanMs'),
      longest_task_ms: Math.max(on.longest_task_ms, off.longest_task_ms),
      longest_frame_ms: Math.max(on.longest_frame_ms, off.longest_frame_ms),
    });
  }
  return { query, runs };
}

async function measureFetch(context) {
  const fetch = {};
  for (const target of ['server', 'sw']) {
    fetch[target] = {};
    for (const n of [12, 60]) {
      const modes = { sequential: 'mode=sequential', gather: 'mode=gather', pool6: 'mode=pool&workers=6' };
      if (n === 60 && !plan.fetchSequentialN60) delete modes.sequential;
      const byMode = {};
      for (const [name, mode] of Object.entries(modes)) {
        const runs = [];
        for (let repetition = 0; repetition < plan.fetchRepetitions; repetition++) {
          say(`fetch ${target}, n=${n}, ${name}, repetition ${repetition + 1}/${plan.fetchRepetitions}`);
          await withPage(context, async (page, check) => {
            await page.goto(`${base}?exp=fetch&target=${target}&${mode}&n=${n}&latency_ms=100&capacity=6`);
            if (target === 'sw' && !(await page.evaluate(() => navigator.serviceWorker.controller !== null))) {
              // An isolated page does not reload for its service worker: the
              // worker answers from the next load on, as on a second visit.
              await page.evaluate(() => navigator.serviceWorker.ready);
              await page.reload();
            }
            await page.waitForSelector('[data-testid=run]:not([disabled])', { timeout: 60_000 });
            const watched = await runAndWatch(page, 'run', 1);
            check();
            const row = watched.rows[0];
            if (row.classes !== `ok=${n}`) throw new Error(`fetch ${target} n=${n} ${name}: ${row.classes}`);
            runs.push({
              makespan_ms: number(row, 'makespanMs'),
              ideal_ms: number(row, 'idealMs'),
              longest_task_ms: watched.longest_task_ms,
              longest_frame_ms: watched.longest_frame_ms,
            });
          });
        }
        byMode[name] = runs;
      }
      fetch[target][`n${n}`] = byMode;
    }
  }
  return fetch;
}

/**
 * Frame by frame, a key that zooms or pans the timeline is pressed at the
 * start of an animation frame; the frame's time is the interval between
 * frames, and its work the time from the key to the next task (the redraw
 * runs in between, in a microtask).
 */
async function measureTimeline(context, fixture) {
  return withPage(context, async (page, check) => {
    await page.goto(`${base}?exp=timeline-demo&fixture=${fixture}`);
    await page.waitForSelector('[data-testid=timeline] canvas[data-lanes="8"]');
    const measured = await page.evaluate(async (frames) => {
      const canvas = document.querySelector('[data-testid=timeline] canvas');
      const cycle = [...Array(4).fill('+'), ...Array(8).fill('ArrowRight'), ...Array(4).fill('-'), ...Array(8).fill('ArrowLeft')];
      const since = performance.now();
      const frameStarts = [];
      const work = [];
      for (let frame = 0; frame < frames; frame++) {
        await new Promise((resolve) =>
          requestAnimationFrame((now) => {
            frameStarts.push(now);
            const start = performance.now();
            canvas.dispatchEvent(new KeyboardEvent('keydown', { key: cycle[frame % cycle.length], bubbles: true, cancelable: true }));
            const channel = new MessageChannel();
            channel.port1.onmessage = () => {
              work.push(performance.now() - start);
              resolve();
            };
            channel.port2.postMessage(null);
          }),
        );
      }
      const longTasks = window.__overlapLongTasks.filter((task) => task.start >= since);
      return {
        frame_ms: frameStarts.slice(1).map((start, index) => start - frameStarts[index]),
        work_ms: work,
        longest_task_ms: Math.max(0, ...longTasks.map((task) => task.duration)),
      };
    }, plan.timelineFrames);
    check();
    return measured;
  });
}

// One context for everything but first loads: the service worker installs
// and caches once, as for a visitor who comes back, not on every run.
const { context: visited } = await newContext();
try {
  const threads = await poolThreads(visited);
  say(`pool threads: ${threads}${quick ? ' (quick run)' : ''}`);
  const result = { quick, pool_threads: threads, plan };
  say('first loads');
  result.load = await measureLoads();
  result.cpu = await measureCpu(visited, threads);
  result.cpu_share = await measureCpuShare(visited, threads);
  result.workers = await measureWorkers(visited, threads);
  result.recording = await measureRecording(visited, threads);
  result.fetch = await measureFetch(visited);
  say('timeline, 10,000 spans');
  result.timeline = { k10: await measureTimeline(visited, 'spans-10k') };
  say('timeline, 100,000 spans');
  result.timeline.k100 = await measureTimeline(visited, 'spans-100k');
  writeFileSync(output, JSON.stringify(result, null, 1));
} finally {
  await browser.close();
}
