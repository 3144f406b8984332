import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

// Run through `cargo xtask test`: it builds dist/, starts the servers these
// tests need on free ports and passes their URLs in OVERLAP_*_URL.
export default defineConfig({
  testDir: './specs',
  timeout: 60_000,
  expect: { timeout: 20_000 },
  retries: 0,
  workers: 2,
  forbidOnly: true,
  // The JSON report (path in PLAYWRIGHT_JSON_OUTPUT_NAME) is what xtask counts.
  reporter: [['list'], ['json']],
  use: {
    browserName: 'chromium',
    headless: true,
    // Debian's Chromium: a browser downloaded by Playwright cannot work here.
    // The same options drive the benchmark (bench/bench.mjs).
    launchOptions: JSON.parse(readFileSync(join(__dirname, 'chromium.json'), 'utf8')),
  },
});
