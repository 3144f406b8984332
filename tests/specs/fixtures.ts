import { test as base, expect, type Page } from '@playwright/test';

/** The URL of one of the servers `cargo xtask test` started. */
export function serverUrl(variable: 'OVERLAP_ISOLATED_URL' | 'OVERLAP_OPEN_URL' | 'OVERLAP_PLAIN_URL'): string {
  const url = process.env[variable];
  if (!url) throw new Error(`${variable} is not set: run the browser tests with \`cargo xtask test\``);
  return url;
}

/** How a Content-Security-Policy violation is told: directive, then what was blocked. */
export function violationText(directive: string, blocked: string): string {
  return `CSP violation: ${directive} ${blocked}`;
}

/**
 * Every test fails on any uncaught page error, console error or console
 * warning, in the page, its frames and its workers, and on any
 * Content-Security-Policy violation in the page or its frames: a clean
 * console and a policy that is never broken, on every page.
 */
export const test = base.extend<{
  pageProblems: string[];
  allowedConsoleErrors: RegExp[];
  allowedPageErrors: RegExp[];
  allowedViolations: RegExp[];
}>({
  // A test whose experiment asks for failures (a 404 status, say) names the
  // console lines the browser prints for them; nothing else is allowed.
  allowedConsoleErrors: [[], { option: true }],
  // A worker's uncaught error reaches the page as a page error: a test that
  // kills a worker on purpose (faults.spec.ts) names the one it expects.
  allowedPageErrors: [[], { option: true }],
  // Likewise the violations a test provokes on purpose (csp.spec.ts).
  allowedViolations: [[], { option: true }],
  pageProblems: [
    async ({ page, allowedConsoleErrors, allowedPageErrors, allowedViolations }, use) => {
      const problems: string[] = [];
      // The browser's console line for a violation can be missed (a
      // report-only policy, another browser's wording); the event cannot.
      await page.exposeBinding('overlapReportViolation', (_source, text: string) => {
        if (!allowedViolations.some((allowed) => allowed.test(text))) problems.push(text);
      });
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          const report = (window as unknown as { overlapReportViolation?: (text: string) => void }).overlapReportViolation;
          // The same text as violationText, which cannot cross into the page.
          report?.(`CSP violation: ${event.effectiveDirective} ${event.blockedURI}`);
        });
      });
      page.on('pageerror', (error) => {
        if (!allowedPageErrors.some((allowed) => allowed.test(error.message))) problems.push(`page error: ${error.message}`);
      });
      const flagged = (type: string) => type === 'error' || type === 'warning';
      // Playwright's own notice in tests that block service workers
      // (`serviceWorkers: 'block'`), not the page's.
      const fromPlaywright = (text: string) => text === 'Service Worker registration blocked by Playwright';
      const allowed = (text: string) => allowedConsoleErrors.some((pattern) => pattern.test(text));
      page.on('console', (message) => {
        if (!flagged(message.type()) || fromPlaywright(message.text()) || allowed(message.text())) return;
        problems.push(`console ${message.type()}: ${message.text()}`);
      });
      page.on('worker', (worker) => {
        worker.on('console', (message) => {
          if (flagged(message.type()) && !allowed(message.text())) {
            problems.push(`worker console ${message.type()}: ${message.text()}`);
          }
        });
      });
      await use(problems);
      expect(problems, 'errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Presses "Download results" and reads the file it saves. */
export async function downloadResults(page: Page): Promise<any> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-results').click()]);
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export type SpanRow = { task: string; lane: string; state: string; start: number; end: number };

/** The spans of the latest run, read from the timeline's data table. */
export async function latestSpans(page: Page): Promise<SpanRow[]> {
  const toggle = page.getByTestId('show-table');
  if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
  // A run's table shows once it has ended.
  await expect(page.getByTestId('span-table-pending')).toHaveCount(0);
  return page
    .getByTestId('span-table')
    .last()
    .getByTestId('span-row')
    .evaluateAll((rows) =>
      rows.map((row) => {
        const data = (row as HTMLElement).dataset;
        return { task: data.task ?? '', lane: data.lane ?? '', state: data.state ?? '', start: Number(data.start), end: Number(data.end) };
      }),
    );
}

/** Waits for `count` runs in the runs table, none of them still in progress. */
export async function waitForRuns(page: Page, count: number) {
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(count, { timeout: 60_000 });
  for (const row of await rows.all()) {
    await expect(row).not.toHaveAttribute('data-outcome', 'in-progress', { timeout: 60_000 });
  }
  return rows;
}
