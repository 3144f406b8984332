import { test as base, expect } from '@playwright/test';

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
export const test = base.extend<{ pageProblems: string[] }>({
  pageProblems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
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
