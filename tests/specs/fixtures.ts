import { test as base, expect, type Page } from '@playwright/test';

/** The URL of one of the servers `cargo xtask test` started. */
export function serverUrl(variable: 'OVERLAP_ISOLATED_URL' | 'OVERLAP_OPEN_URL' | 'OVERLAP_PLAIN_URL'): string {
  const url = process.env[variable];
  if (!url) throw new Error(`${variable} is not set: run the browser tests with \`cargo xtask test\``);
  return url;
}

/**
 * Every test fails on any uncaught page error or console error, in the page,
 * its frames and its workers.
 */
export const test = base.extend<{ pageProblems: string[]; allowedConsoleErrors: RegExp[] }>({
  // A test whose experiment asks for failures (a 404 status, say) names the
  // console lines the browser prints for them; nothing else is allowed.
  allowedConsoleErrors: [[], { option: true }],
  pageProblems: [
    async ({ page, allowedConsoleErrors }, use) => {
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        if (allowedConsoleErrors.some((allowed) => allowed.test(message.text()))) return;
        problems.push(`console error: ${message.text()}`);
      });
      page.on('worker', (worker) => {
        worker.on('console', (message) => {
          if (message.type() === 'error') problems.push(`worker console error: ${message.text()}`);
        });
      });
      await use(problems);
      expect(problems, 'errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

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
