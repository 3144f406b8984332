// Overlap's smoke suite in Firefox: Debian's firefox-esr driven by
// puppeteer-core over WebDriver BiDi (Playwright 1.65 cannot drive this
// Firefox). `cargo xtask test` runs it with node's own test runner after the
// Playwright suite, against the same servers (OVERLAP_*_URL).
//
// Each test gets its own browser context (no service worker or storage
// carried over) and fails on any page error, console error or warning, or
// Content-Security-Policy violation, as the Chromium suite does.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import puppeteer from 'puppeteer-core';

const FIREFOX = '/usr/bin/firefox-esr';
const TIMEOUT_MS = 60_000;

function serverUrl(variable) {
  const url = process.env[variable];
  if (!url) throw new Error(`${variable} is not set: run the Firefox suite with \`cargo xtask test\``);
  return url;
}

let browser;

before(async () => {
  browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: FIREFOX,
    headless: true,
  });
});

after(async () => {
  await browser?.close();
});

/** A fresh context and page, with every problem it shows collected. */
async function openPage() {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warn' || message.type() === 'warning') {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  await page.exposeFunction('overlapReportViolation', (text) => problems.push(text));
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      window.overlapReportViolation(`CSP violation: ${event.effectiveDirective} ${event.blockedURI}`);
    });
  });
  return {
    page,
    async close() {
      await context.close();
      assert.deepEqual(problems, [], 'problems in the page');
    },
  };
}

/** Runs `body` on a fresh page, then fails on any problem the page showed. */
function inFirefox(name, body) {
  test(name, { timeout: 3 * TIMEOUT_MS }, async () => {
    const opened = await openPage();
    // Both the test's own failure and the page's problems are reported:
    // neither hides the other.
    const failures = [];
    try {
      await body(opened.page);
    } catch (error) {
      failures.push(error);
    }
    try {
      await opened.close();
    } catch (error) {
      failures.push(error);
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, failures.map((error) => error.message).join('\n'));
  });
}

const byTestId = (id) => `[data-testid="${id}"]`;

async function attribute(page, selector, name) {
  return page.$eval(selector, (element, name) => element.getAttribute(name), name);
}

/** Waits until every run row has ended; returns their data attributes. */
async function endedRuns(page, count) {
  await page.waitForFunction(
    (count) => {
      const rows = [...document.querySelectorAll('[data-testid="run-row"]')];
      return rows.length === count && rows.every((row) => row.dataset.outcome !== 'in-progress');
    },
    { timeout: TIMEOUT_MS },
    count,
  );
  return page.$$eval(byTestId('run-row'), (rows) => rows.map((row) => ({ ...row.dataset })));
}

/** The spans of the latest run, from the timeline's data table. */
async function latestSpans(page) {
  const toggle = await page.waitForSelector(byTestId('show-table'));
  if ((await attribute(page, byTestId('show-table'), 'aria-pressed')) !== 'true') await toggle.click();
  await page.waitForSelector(byTestId('span-row'));
  return page.$$eval(`${byTestId('span-table')}:last-of-type ${byTestId('span-row')}`, (rows) =>
    rows.map((row) => ({ task: row.dataset.task, lane: row.dataset.lane, state: row.dataset.state })),
  );
}

inFirefox('the front page is cross-origin isolated and the pool is ready', async (page) => {
  await page.goto(serverUrl('OVERLAP_ISOLATED_URL'));
  await page.waitForSelector(`${byTestId('pool-state')}[data-state="ready"]`);
  assert.equal(await attribute(page, byTestId('isolated'), 'data-value'), 'true');
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), true);
});

inFirefox('a CPU run on threads uses 2 lanes and its result equals sequential', async (page) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=cpu&workload=sum&size=2000000&tasks=8&mode=threads&workers=2`);
  const compare = await page.waitForSelector(`${byTestId('compare')}:not([disabled])`);
  await compare.click();
  const runs = await endedRuns(page, 2);
  assert.deepEqual(
    runs.map((run) => [run.mode, run.outcome]),
    [
      ['sequential', 'complete'],
      ['threads', 'complete'],
    ],
  );
  assert.match(runs[0].digest, /^[0-9a-f]{16}$/);
  assert.equal(runs[1].digest, runs[0].digest);
  assert.equal(runs[1].matches, 'true');
  const running = (await latestSpans(page)).filter((span) => span.state === 'running');
  assert.deepEqual([...new Set(running.map((span) => span.task))].sort(), ['0', '1', '2', '3', '4', '5', '6', '7']);
  assert.deepEqual([...new Set(running.map((span) => span.lane))].sort(), ['0', '1']);
});

inFirefox('a gather of requests to the server overlaps them and every one succeeds', async (page) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=fetch&target=server&mode=gather&n=4&latency_ms=200&run=1`);
  const [run] = await endedRuns(page, 1);
  assert.equal(run.outcome, 'complete');
  assert.equal(run.classes, 'ok=4');
  // Four requests of 200 ms at once end in well under their 800 ms sum.
  assert.ok(Number(run.makespanMs) < 800, `makespan ${run.makespanMs} ms`);
});

inFirefox('an asyncio program runs on its own worker loop and prints what CPython prints', async (page) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=asyncio&scenario=tasks&unit_ms=50&run=1`);
  const [run] = await endedRuns(page, 1);
  assert.equal(run.outcome, 'complete');
  assert.equal(run.printedAsPython, 'true');
  // Four crawls of 1 to 4 units awaited together: about the longest, 200 ms,
  // well under their 500 ms added up.
  assert.ok(Number(run.totalMs) < 0.6 * Number(run.sumMs), `total ${run.totalMs} ms, sum ${run.sumMs} ms`);
});

inFirefox('the futures lab runs its tasks on pool threads and prints what CPython prints', async (page) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=futures&scenario=as_completed&unit_ms=50&run=1`);
  const [run] = await endedRuns(page, 1);
  assert.equal(run.outcome, 'complete');
  assert.equal(run.printedAsPython, 'true');
  const printed = await page.$eval(byTestId('printed'), (element) => element.textContent);
  assert.match(printed, /as_completed -> future 2: 20\n.*as_completed -> future 1: 10/s);
});

inFirefox('the timeline draws its lanes on the canvas', async (page) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=timeline-demo&fixture=compare`);
  const canvas = `${byTestId('timeline')} canvas`;
  await page.waitForSelector(`${canvas}[data-lanes="5"]`);
  // Drawn: the canvas holds more than one colour.
  const colours = await page.$eval(canvas, (element) => {
    const pixels = element.getContext('2d').getImageData(0, 0, element.width, element.height).data;
    const seen = new Set();
    for (let index = 0; index < pixels.length && seen.size < 3; index += 4 * 97) {
      seen.add(`${pixels[index]},${pixels[index + 1]},${pixels[index + 2]},${pixels[index + 3]}`);
    }
    return seen.size;
  });
  assert.ok(colours >= 3, `${colours} colours on the canvas`);
});

inFirefox('embedded in a page that is not isolated, threads are off and the page says why', async (page) => {
  const overlap = serverUrl('OVERLAP_OPEN_URL');
  await page.goto('about:blank');
  await page.setContent(`<!doctype html><title>Tutorial</title><h1>A tutorial</h1>
    <iframe src="${overlap}?exp=home" width="900" height="700"></iframe>`);
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), false);
  const frameHandle = await page.waitForSelector('iframe');
  const frame = await frameHandle.contentFrame();
  await frame.waitForSelector(`${byTestId('pool-state')}[data-state="off"]`, { timeout: TIMEOUT_MS });
  assert.equal(await frame.$eval(byTestId('isolated'), (element) => element.dataset.value), 'false');
  const said = await frame.$eval(byTestId('pool-state'), (element) => element.textContent);
  assert.match(said, /embedded in a page that is not cross-origin isolated/);
});
