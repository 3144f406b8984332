import { test, expect, serverUrl } from './fixtures';

// A tutorial page that is not cross-origin isolated (a page of the open
// server's origin, which sends no isolation headers), embedding Overlap from
// the isolated server: another origin. Playwright fulfils the tutorial
// itself, and Chromium's local network access checks count a fulfilled page
// as public, so it may frame 127.0.0.1 only with the permission a user
// would grant (a tutorial and Overlap both on the internet need none).
function tutorialWith(...frameSrcs: string[]): string {
  const frames = frameSrcs.map((src) => `<iframe src="${src}" width="900" height="400" allow="cross-origin-isolated"></iframe>`);
  return `<!doctype html><title>Tutorial</title><link rel="icon" href="data:,"><h1>A tutorial</h1>${frames.join('')}`;
}

test('an embed inside a page that is not isolated: Document-Isolation-Policy gives it threads, it runs alone and tells its host its height as it grows', async ({ page, context }) => {
  const tutorial = `${serverUrl('OVERLAP_OPEN_URL')}embed-tutorial.html`;
  await context.grantPermissions(['local-network-access'], { origin: new URL(tutorial).origin });
  const embed = `${serverUrl('OVERLAP_ISOLATED_URL')}?exp=cpu&workload=sum&size=2000000&tasks=8&mode=threads&workers=2&embed=1&run=1`;
  await page.route(tutorial, (route) => route.fulfill({ contentType: 'text/html', body: tutorialWith(embed, `${serverUrl('OVERLAP_ISOLATED_URL')}?exp=home`) }));
  await page.addInitScript(() => {
    const heard: { resize: number[]; embedly: { context: string; src: string; height: number }[] } = { resize: [], embedly: [] };
    (window as unknown as { heard: typeof heard }).heard = heard;
    window.addEventListener('message', (event) => {
      if (event.data?.type === 'overlap:resize') heard.resize.push(event.data.height);
      if (typeof event.data === 'string') heard.embedly.push(JSON.parse(event.data));
    });
  });
  await page.goto(tutorial);
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(false);

  const frame = page.frameLocator('iframe').first();
  // Isolated inside the frame, by its own headers: the run asked for by
  // `run=1` takes two lanes of the pool.
  expect(await frame.locator('html').evaluate(() => self.crossOriginIsolated)).toBe(true);
  const row = frame.getByTestId('run-row').last();
  await expect(row).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  await expect(frame.getByTestId('timeline').locator('canvas')).toHaveAttribute('data-lanes', '2');

  // The experiment alone: no site header, navigation or embed code; a link
  // opens the same experiment as the whole page.
  await expect(frame.locator('nav.experiments')).toHaveCount(0);
  await expect(frame.locator('.site-header')).toHaveCount(0);
  await expect(frame.getByTestId('embed-code')).toHaveCount(0);
  const open = frame.getByTestId('open-in-overlap');
  await expect(open).toHaveAttribute('target', '_blank');
  const openQuery = new URLSearchParams((await open.getAttribute('href')) ?? '');
  expect(openQuery.get('exp')).toBe('cpu');
  expect(openQuery.get('workload')).toBe('sum');
  expect(openQuery.get('embed')).toBeNull();

  // Its height, told as it changes: the run's figures made it taller than at first.
  type Heard = { resize: number[]; embedly: { context: string; src: string; height: number }[] };
  const heard = () => page.evaluate(() => (window as unknown as { heard: Heard }).heard);
  await expect.poll(async () => (await heard()).resize.length).toBeGreaterThan(1);
  const { resize, embedly } = await heard();
  expect(resize[0]).toBeGreaterThan(0);
  expect(Math.max(...resize)).toBeGreaterThan(resize[0]);
  // Embedly's message, for hosts that speak it, says the same.
  expect(embedly.map((message) => message.height)).toEqual(resize);
  expect(embedly.every((message) => message.context === 'iframe.resize' && message.src === embed)).toBe(true);
  // The last height told is the content's height now (both read at once).
  const contentHeight = () => frame.locator('html').evaluate((html) => Math.ceil(html.getBoundingClientRect().height));
  await expect.poll(async () => (await heard()).resize.at(-1) === (await contentHeight())).toBe(true);
  // It shrinks as well as grows: content taken away is told too.
  const before = await contentHeight();
  await frame.locator('main').evaluate((main) => {
    const tall = document.createElement('div');
    tall.id = 'tall';
    tall.style.height = '1500px';
    main.append(tall);
  });
  await expect.poll(async () => (await heard()).resize.at(-1)).toBe(before + 1500);
  await frame.locator('#tall').evaluate((tall) => tall.remove());
  await expect.poll(async () => (await heard()).resize.at(-1)).toBe(before);

  // The front page in the same tutorial (framed, not an embed) says how.
  const front = page.frameLocator('iframe').nth(1);
  await expect(front.getByTestId('isolated')).toHaveAttribute('data-value', 'true');
  await expect(front.getByTestId('isolated')).toContainText('inside this frame');
  await expect(front.getByTestId('pool-state')).toHaveAttribute('data-state', 'ready');
});

test('"Copy embed code" copies the iframe of the parameters as they stand, in the page\'s language, and it loads that experiment alone', async ({ page, context }) => {
  const isolated = serverUrl('OVERLAP_ISOLATED_URL');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(isolated).origin });
  await page.goto(`${isolated}?exp=cpu&workload=primes&mode=threads&lang=zh-CN`);
  // A field takes effect when the learner leaves it.
  await page.getByLabel('任务数').fill('5');
  await page.getByLabel('任务数').press('Tab');
  await page.getByTestId('embed-code').locator('summary').click();
  await page.getByTestId('copy-embed-code').click();
  await expect(page.getByTestId('embed-code-status')).toHaveText('已复制到剪贴板。');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await page.getByTestId('embed-code-text').inputValue());

  // One iframe element, nothing else, with what a tutorial needs.
  const frame = await page.evaluate((html) => {
    const body = new DOMParser().parseFromString(html, 'text/html').body;
    const iframe = body.querySelector('iframe');
    return {
      elements: body.children.length,
      src: iframe?.getAttribute('src') ?? '',
      title: iframe?.getAttribute('title') ?? '',
      allow: iframe?.getAttribute('allow') ?? '',
      height: Number(iframe?.getAttribute('height')),
    };
  }, copied);
  expect(frame.elements).toBe(1);
  expect(frame.title).toMatch(/^Overlap：/);
  expect(frame.allow).toContain('cross-origin-isolated');
  expect(frame.height).toBeGreaterThanOrEqual(400);
  const src = new URL(frame.src);
  expect(src.origin + src.pathname).toBe(new URL(isolated).origin + new URL(isolated).pathname);
  expect(Object.fromEntries(src.searchParams)).toEqual({ exp: 'cpu', workload: 'primes', mode: 'threads', tasks: '5', lang: 'zh-CN', embed: '1' });

  // A change of a field changes the code, and "Copied" no longer stands.
  await page.getByLabel('任务数').fill('7');
  await page.getByLabel('任务数').press('Tab');
  await expect(page.getByTestId('embed-code-text')).toHaveValue(/tasks=7/);
  await expect(page.getByTestId('embed-code-status')).toHaveText('');

  // The copied address opens that experiment alone, with those parameters.
  await page.goto(frame.src);
  await expect(page.locator('nav.experiments')).toHaveCount(0);
  await expect(page.getByLabel('任务数')).toHaveValue('5');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});

test('the front page has no embed code, every experiment has', async ({ page }) => {
  const isolated = serverUrl('OVERLAP_ISOLATED_URL');
  await page.goto(`${isolated}?exp=home`);
  await expect(page.getByTestId('pool-state')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('embed-code')).toHaveCount(0);
  for (const exp of ['fetch', 'race', 'lockstep', 'thread-local', 'queue', 'sweep', 'load', 'timeline-demo']) {
    await page.goto(`${isolated}?exp=${exp}`);
    await expect(page.getByTestId('embed-code'), exp).toHaveCount(1);
  }
});

test('the example host page resizes both of its embeds to what they report', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}embed-example.html`);
  const frames = page.locator('iframe[data-overlap-embed]');
  await expect(frames).toHaveCount(2);
  for (const frame of await frames.all()) {
    await expect(frame).toHaveAttribute('data-reported-height', /^\d+$/);
    // Its content fits: no scrolling inside the frame.
    const inside = frame.contentFrame();
    await expect.poll(() => inside.locator('html').evaluate((html) => html.scrollHeight <= window.innerHeight)).toBe(true);
    // The frame's inner height is the last height it reported (read
    // together: the page may still grow as its pool starts).
    await expect
      .poll(() => frame.evaluate((element) => Math.round(element.clientHeight) - Number((element as HTMLElement).dataset.reportedHeight)))
      .toBe(0);
  }
});

test('target=sw&run=1 runs on a first visit, once the service worker takes control', async ({ page }) => {
  // A fresh context: no service worker yet. The isolated page does not
  // reload for it; the run starts when it takes control.
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=fetch&target=sw&mode=gather&n=4&latency_ms=50&run=1`);
  const row = page.getByTestId('run-row').last();
  await expect(row).toHaveAttribute('data-classes', 'ok=4', { timeout: 30_000 });
  await expect(page.getByTestId('run-row')).toHaveCount(1);
});

test('target=sw&run=1 on a host without isolation headers runs once, in the page after the one reload', async ({ page }) => {
  let loads = 0;
  page.on('load', () => (loads += 1));
  await page.goto(`${serverUrl('OVERLAP_OPEN_URL')}?exp=fetch&target=sw&mode=gather&n=4&latency_ms=50&run=1`);
  const row = page.getByTestId('run-row').last();
  await expect(row).toHaveAttribute('data-classes', 'ok=4', { timeout: 30_000 });
  expect(loads).toBe(2);
  await expect(page.getByTestId('run-row')).toHaveCount(1);
});
