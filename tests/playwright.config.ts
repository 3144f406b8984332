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
  // A test that measures the page's responsiveness (`*.quiet.spec.ts`)
  // runs after all others, alone: on two shared cores, a second browser
  // running beside it stretches every task it times.
  // Snapshots are named without the project, as before there were two.
  snapshotPathTemplate: '{snapshotDir}/{testFileDir}/{testFileName}-snapshots/{arg}{-snapshotSuffix}{ext}',
  projects: [
    { name: 'main', testIgnore: /\.quiet\.spec\.ts$/ },
    { name: 'quiet', testMatch: /\.quiet\.spec\.ts$/, dependencies: ['main'], fullyParallel: false },
  ],
  use: {
    browserName: 'chromium',
    headless: true,
    // Debian's Chromium: a browser downloaded by Playwright cannot work here.
    // The same options drive the benchmark (bench/bench.mjs).
    launchOptions: JSON.parse(readFileSync(join(__dirname, 'chromium.json'), 'utf8')),
  },
});
