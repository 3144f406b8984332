// The browser half of `cargo xtask soak`: runs every experiment that runs,
// OVERLAP_SOAK_RUNS times each on one page, through its own Run button, in
// Debian's Chromium, and writes what it measured after each run, raw, as
// JSON: the run's time, the page's DOM node count and, for the first and
// last twenty runs, its memory: the main thread's JS heap after a forced
// collection (performance.memory, Chromium's) plus the module's linear
// memory, which only grows, so it holds the high-water mark of the wasm
// heap. (performance.measureUserAgentSpecificMemory would count every
// worker too, but it never answers once the rayon pool exists: its idle
// workers wait in Atomics.wait and never take the measurement's task; no
// answer in 30 s, measured here.) xtask compares first and last runs and
// prints the table.
//
// It fails only when it could not measure (a run that never ends, a page
// error, no memory figure); never because something grew.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const here = dirname(fileURLToPath(import.meta.url));
const base = required('OVERLAP_URL');
const output = required('OVERLAP_SOAK_OUTPUT');
const runs = Number(required('OVERLAP_SOAK_RUNS'));
/** Runs measured for memory at each end (measuring forces a collection); xtask compares them. */
const MEMORY_RUNS = Number(required('OVERLAP_SOAK_MEMORY_RUNS'));
const RUN_TIMEOUT_MS = 120_000;

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the soak with \`cargo xtask soak\``);
  return value;
}

const say = (message) => process.stderr.write(`soak: ${message}\n`);

// Small runs of every experiment that runs: the soak is about what stays
// behind run after run, not about one run's size.
const EXPERIMENTS = [
  ['cpu', 'workload=sum&size=1000000&tasks=8&mode=threads&workers=2'],
  ['fetch', 'target=server&mode=gather&n=8&latency_ms=20'],
  ['futures', 'scenario=as_completed&unit_ms=50'],
  ['asyncio', 'scenario=tasks&unit_ms=10'],
  ['race', 'threads=2&increments=200000'],
  ['thread-local', 'threads=2&tasks=48'],
  ['lockstep', 'threads=2&rounds=200'],
  // Fixed: a run that deadlocks waits for Break, which a soak does not press.
  ['deadlock', 'scenario=philosophers&fixed=1&philosophers=2'],
  ['queue', 'items=30&consume_ms=1'],
  ['sweep', 'workload=sum&size=1000000&tasks=4&ks=1,2&repeat=1'],
  ['load', 'users=10&requests=50&cpu_ms=0'],
];

const launchOptions = JSON.parse(readFileSync(join(here, '..', 'chromium.json'), 'utf8'));
const browser = await chromium.launch({
  ...launchOptions,
  // `gc()`, so that a heap figure is what is still reachable.
  args: [...launchOptions.args, '--js-flags=--expose-gc'],
  headless: true,
});

/** Marks, in the page, that a run's outcome appeared or changed since the last click. */
// A run's end is seen as a change of an outcome: a row added, or a row's
// `data-outcome` or `data-run` changed. `data-run` too: once a page keeps
// its latest 12 runs it reuses their rows, and a short run that ends before
// its in-progress state was drawn changes only each row's number (seen in
// the thread-local soak after run 12).
function watchOutcomes() {
  window.__overlapOutcomeChanged = false;
  new MutationObserver((records) => {
    const touches = (node) => node instanceof Element && (node.hasAttribute('data-outcome') || node.querySelector('[data-outcome]'));
    if (records.some((record) => touches(record.target) || [...record.addedNodes].some(touches))) {
      window.__overlapOutcomeChanged = true;
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-outcome', 'data-run'] });
}

async function soak(name, query) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  // The module's memory, from Trunk's start event (the exports are its detail).
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (event) => (window.__overlapWasmMemory = event.detail.wasm.memory));
  });
  await page.goto(`${base}?exp=${name}&${query}`);
  await page.evaluate(watchOutcomes);
  const run = page.getByTestId('run');
  await run.waitFor();
  const measured = [];
  for (let index = 0; index < runs; index += 1) {
    await page.waitForFunction(() => !document.querySelector('[data-testid="run"]')?.disabled, null, { timeout: RUN_TIMEOUT_MS });
    await page.evaluate(() => (window.__overlapOutcomeChanged = false));
    const startedMs = Date.now();
    await run.click();
    // Ended: its outcome was drawn, nothing is running and Run is back.
    await page.waitForFunction(
      () =>
        window.__overlapOutcomeChanged &&
        !document.querySelector('[data-outcome="in-progress"], [data-outcome="running"]') &&
        !document.querySelector('[data-testid="run"]')?.disabled,
      null,
      { timeout: RUN_TIMEOUT_MS, polling: 20 },
    );
    const runMs = Date.now() - startedMs;
    if (problems.length > 0) throw new Error(`${name}, run ${index + 1}: ${problems.join('; ')}`);
    const measureMemory = index < MEMORY_RUNS || index >= runs - MEMORY_RUNS;
    const sample = await page.evaluate(async (measureMemory) => {
      const domNodes = document.getElementsByTagName('*').length;
      if (!measureMemory) return { domNodes, memoryBytes: null };
      const wasmMemory = window.__overlapWasmMemory;
      if (typeof window.gc !== 'function' || !performance.memory || !(wasmMemory?.buffer)) {
        throw new Error('no memory figure: gc(), performance.memory or the module memory is missing');
      }
      window.gc();
      return { domNodes, memoryBytes: performance.memory.usedJSHeapSize + wasmMemory.buffer.byteLength };
    }, measureMemory);
    measured.push({ run_ms: runMs, dom_nodes: sample.domNodes, memory_bytes: sample.memoryBytes });
    if ((index + 1) % 50 === 0) say(`${name}: ${index + 1} of ${runs} runs`);
  }
  await context.close();
  return measured;
}

const results = {};
for (const [name, query] of EXPERIMENTS) {
  say(`${name}: ${runs} runs of ?exp=${name}&${query}`);
  results[name] = { query, runs: await soak(name, query) };
}
await browser.close();
writeFileSync(output, JSON.stringify({ memory_runs: MEMORY_RUNS, experiments: results }, null, 2));
