import { test, expect, serverUrl, violationText } from './fixtures';

// The page's Content-Security-Policy (xtask/src/security_headers.rs): the
// servers that send headers send it, and on a bare static host the service
// worker adds the same one. These tests break it on purpose and check the
// browser refuses; every other test fails on any violation (fixtures.ts).

type Server = 'OVERLAP_ISOLATED_URL' | 'OVERLAP_OPEN_URL' | 'OVERLAP_PLAIN_URL';

const PROBES = [violationText('script-src-elem', 'inline'), violationText('style-src-attr', 'inline')];

test.use({
  // Chromium's console lines for the refusals below. One pattern each: a
  // two-item array whose second item is an object reads to Playwright as
  // [value, options].
  allowedConsoleErrors: [/^(Executing inline script|Applying inline style) violates the following Content Security Policy directive/],
  allowedViolations: [new RegExp(`^(${PROBES.join('|')})$`)],
});

async function policyOf(page: import('@playwright/test').Page): Promise<string | null> {
  // A same-origin fetch sees the headers the document got: the server's,
  // or the service worker's where it serves the page.
  return page.evaluate(async () => (await fetch(location.pathname, { cache: 'no-store' })).headers.get('content-security-policy'));
}

for (const [server, served] of [
  ['OVERLAP_ISOLATED_URL', 'the server, cross-origin isolated'],
  ['OVERLAP_OPEN_URL', 'the server, without isolation'],
  ['OVERLAP_PLAIN_URL', 'the service worker, on a bare static host'],
] as [Server, string][]) {
  test(`sent by ${served}: an injected script and a style attribute are refused, and the page works`, async ({ page, request }) => {
    const reference = (await request.get(serverUrl('OVERLAP_ISOLATED_URL'))).headers()['content-security-policy'];
    // No hash: the policy is the same for every build, so the last build's
    // service worker never blocks the next one's page (dist.rs).
    expect(reference).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(reference).not.toContain('sha256-');
    expect(reference).toContain("worker-src 'self' blob:");
    expect(reference).toContain("style-src 'self'");
    expect(reference).not.toContain('unsafe-inline');
    // No eval: a probe cannot show it, as Playwright's evaluate is exempt
    // from the page's policy, but any eval in the page breaks a test
    // through the fixture's violation listener.
    expect(reference).not.toMatch(/'unsafe-eval'/);

    await page.goto(`${serverUrl(server)}?exp=timeline-demo&fixture=compare`);
    if (server !== 'OVERLAP_ISOLATED_URL') {
      // Not isolated by its host, the page reloads once the service worker
      // controls it (isolate.js); on the bare host the policy is then the
      // worker's.
      await expect
        .poll(() => page.evaluate(() => self.crossOriginIsolated && navigator.serviceWorker.controller !== null).catch(() => false))
        .toBe(true);
      await page.waitForLoadState('load');
    }
    expect(await policyOf(page)).toBe(reference);

    const seen = await page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.effectiveDirective} ${event.blockedURI}`));
      const script = document.createElement('script');
      script.textContent = 'window.overlapInlineRan = true;';
      document.head.append(script);
      const styled = document.createElement('div');
      styled.setAttribute('style', 'width: 123px');
      document.body.append(styled);
      const styleApplied = getComputedStyle(styled).width === '123px';
      styled.remove();
      // Violation events are queued as tasks.
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { inlineRan: (window as unknown as { overlapInlineRan?: boolean }).overlapInlineRan === true, styleApplied, violations };
    });
    expect(seen).toEqual({
      inlineRan: false,
      styleApplied: false,
      violations: ['script-src-elem inline', 'style-src-attr inline'],
    });

    // The page's own styles go through the CSSOM, which the policy allows:
    // the legend's swatches are coloured and the tooltip is placed.
    const swatch = page.locator('.legend .swatch').first();
    await expect(swatch).not.toHaveCSS('background-color', 'rgba(0, 0, 0, 0)');
    const canvas = page.getByTestId('timeline').locator('canvas');
    await canvas.focus();
    await page.keyboard.press(']');
    const tooltip = page.getByTestId('timeline-tooltip');
    await expect(tooltip).toBeVisible();
    expect(await tooltip.evaluate((element) => (element as HTMLElement).style.left)).toMatch(/^\d+(\.\d+)?px$/);
  });
}

test('threads start under the policy: the pool is ready and a parallel run ends', async ({ page }) => {
  // wasm-bindgen-rayon starts its workers from blob: URLs (worker-src blob:).
  const response = await page.goto(serverUrl('OVERLAP_ISOLATED_URL'));
  expect(response?.headers()['content-security-policy']).toBeTruthy();
  await expect(page.getByTestId('pool-state')).toHaveAttribute('data-state', 'ready');
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=cpu&workload=sum&size=1000000&tasks=4&mode=threads&workers=2&run=1`);
  const row = page.getByTestId('run-row');
  await expect(row).toHaveCount(1, { timeout: 60_000 });
  await expect(row).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  await expect(row).toHaveAttribute('data-mode', 'threads');
});
