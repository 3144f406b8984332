import type { Page } from '@playwright/test';
import { test, expect, serverUrl } from './fixtures';

// Latin-letter words a zh-CN page may show: identifiers the glossary keeps in
// English (code names, API names, units, key names), proper names, and the language
// switch's own "English"; `local`, the step board's name for a thread's
// own copy of n, as in the Python; the students' names, as in the notes;
// the letters the lock-step threads print; asyncio's keywords, names and
// exceptions, and the futures lab's calls and exceptions, as the notes'
// programs write them. Anything else in Latin letters is an English word
// that escaped the catalogues.
// Names with a dot, an underscore, a hyphen or call parentheses
// (`concurrent.futures`, `as_completed`, `wasm-bindgen-rayon`, `fetch()`)
// are code, and allowed as such.
const ALLOWED = new Set(
  `Overlap English Python CPython Rust WebAssembly Web Worker Service Perfetto GIL CPU I O HTTP CORS COOP COEP CSV PNG
   ThreadPoolExecutor ProcessPoolExecutor SharedArrayBuffer ThreadLocal Future gather map https cookie referrer Enter Esc Page Up Down Home End
   ms s x k m n N p c L W p50 p90 p99 local None KiB BlockingQueue y e f S Karp Flatt
   GET POST HDR oha hey vegeta fail seed xx Chromium
   await asyncio main True CancelledError TimeoutError a b result acquire timeout pow
   cancel wait shutdown submit False RuntimeError ValueError
   A B C Alice Bob Carol Dave Erin Frank Grace Heidi Ivan Judy Mallory Niaj Olivia Peggy Rupert Sybil`.split(/\s+/).filter(Boolean),
);

/**
 * The words a person reads or hears on the page, outside code blocks and
 * `quoted` spans, that are not allowed: visible text, the labels of every
 * option of a visible select, and the aria-label, title and placeholder of
 * visible elements.
 */
async function englishWords(page: Page): Promise<string[]> {
  const texts = await page.evaluate(() => {
    const found: string[] = [];
    const shown = (element: Element) => {
      if (element.closest('pre, code, script, style, noscript, .visually-hidden')) return false;
      const style = getComputedStyle(element);
      return style.display !== 'none' && style.visibility !== 'hidden' && element.getClientRects().length > 0;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      // An option's box is the closed select's: it is read when the select is.
      const owner = parent?.closest('option') ? parent.closest('select') : parent;
      if (owner && shown(owner)) found.push(node.textContent ?? '');
    }
    for (const element of document.body.querySelectorAll('[aria-label], [title], [placeholder], [aria-roledescription]')) {
      if (!shown(element)) continue;
      for (const name of ['aria-label', 'title', 'placeholder', 'aria-roledescription']) found.push(element.getAttribute(name) ?? '');
    }
    return found;
  });
  return texts
    // Quoted code and paths (`/api/delay`) are code.
    .map((text) => text.replace(/`[^`]*`/g, ' ').replace(/(\/[\w.\-?=&]+)+/g, ' '))
    .flatMap((text) => text.match(/[A-Za-z][A-Za-z0-9_.\-]*(\(\))?/g) ?? [])
    .map((word) => word.replace(/[.\-]+$/, ''))
    .filter((word) => !/[._\-(]/.test(word))
    .filter((word) => !ALLOWED.has(word) && !/^[A-Za-z]\d/.test(word));
}

const PAGES = ['?exp=home', '?exp=cpu', '?exp=cpu&workload=blur&mode=workers', '?exp=fetch', '?exp=fetch&target=urls', '?exp=timeline-demo', '?exp=race', '?exp=race&step=1&variant=lock', '?exp=thread-local&run=1', '?exp=lockstep&run=1', '?exp=asyncio&scenario=gather&unit_ms=20&run=1', '?exp=deadlock&scenario=mutual&fixed=1&run=1', '?exp=futures&scenario=callbacks&unit_ms=50&run=1', '?exp=futures&scenario=sandbox', '?exp=queue&run=1', '?exp=queue&on=workers&items=10&run=1', '?exp=sweep&workload=sum&size=1000000&tasks=4&ks=1,2&repeat=1&run=1', '?exp=sweep&of=fetch&n=4&ks=1,2&repeat=1&run=1', '?exp=load&users=10&requests=50&run=1'];

for (const address of PAGES) {
  test(`zh-CN ${address}: every visible word outside code is Chinese or an allowed identifier`, async ({ page }) => {
    await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}${address}&lang=zh-CN`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.getByTestId('pool-state').or(page.locator('article.experiment'))).toBeVisible();
    await expect(page).toHaveTitle('Overlap：看得见的并发');
    // Wait for the pool: its state is part of what the page says.
    await page.waitForFunction(() => !document.body.innerText.includes('正在启动'));
    // A sweep's reading, charts, legend and table show once it has run.
    if (address.includes('exp=sweep')) await expect(page.getByTestId('sweep-figures')).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
    // An asyncio or futures run's row and output, a deadlock run's row, show once it has run.
    if (address.includes('exp=asyncio') || address.includes('exp=deadlock') || address.includes('run=1') && address.includes('exp=futures')) await expect(page.getByTestId('run-row')).toHaveAttribute('data-outcome', 'complete', { timeout: 30_000 });
    // A load run's report, charts and timeline show once it has run.
    if (address.includes('exp=load')) await expect(page.getByTestId('load-report')).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
    expect(await englishWords(page)).toEqual([]);
  });
}

test('zh-CN: a run, its table, its timeline tooltip and its data table read in Chinese', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=cpu&workload=primes&mode=threads&workers=2&lang=zh-CN`);
  await page.getByTestId('compare').click();
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(2, { timeout: 60_000 });
  await expect(rows.nth(1)).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  await expect(rows.nth(1)).toContainText('与顺序执行一致 ✓');
  await expect(rows.nth(1)).toContainText('6 个数中有 5 个素数');
  await page.getByTestId('show-table').click();
  await expect(page.getByTestId('span-table').first().locator('caption')).toContainText('个时间段');
  const timeline = page.locator('[data-testid="timeline"] canvas');
  await expect(timeline).toHaveAttribute('aria-label', /^同一时间轴上的 2 次运行的时间线。/);
  await timeline.focus();
  await page.keyboard.press(']');
  await expect(page.getByTestId('timeline-tooltip')).toContainText('任务');
  expect(await englishWords(page)).toEqual([]);
});

test('zh-CN: a queue run, its table, its reading and its depth chart read in Chinese', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=queue&on=coroutines&items=20&stop=join&lang=zh-CN&run=1`);
  await expect(page.getByTestId('run-row')).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  await expect(page.getByTestId('reading')).toContainText('消费者');
  await expect(page.getByTestId('counter-chart')).toHaveAttribute('aria-label', /队列中的条目/);
  await page.getByTestId('show-table').click();
  expect(await englishWords(page)).toEqual([]);
});

test('zh-CN: bad values in the address and in a field are told in Chinese', async ({ page }) => {
  await page.goto(`${serverUrl('OVERLAP_ISOLATED_URL')}?exp=cpu&workers=99&colour=red&lang=zh-CN`);
  const problems = page.getByTestId('query-problems');
  await expect(problems.locator('[data-key="workers"]')).toHaveText('`workers=99` 无效：`workers` 应为 1 到 16 之间的整数。改为使用线程池的全部线程。');
  await expect(problems.locator('[data-key="colour"]')).toContainText('`colour` 不是本页的参数，已忽略');
  const tasks = page.locator('#tasks');
  await tasks.fill('0');
  await tasks.press('Tab');
  await expect(page.locator('.field', { has: tasks })).toContainText('`tasks` 应为 1 到 64 之间的整数');
  expect(await englishWords(page)).toEqual([]);
});

test('the language follows the browser, the address overrides it, and the switch keeps the page state', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  const base = serverUrl('OVERLAP_ISOLATED_URL');
  await page.goto(`${base}?exp=cpu&workload=primes`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.locator('label[for="workload"]')).toHaveText('任务类型');

  await page.goto(`${base}?exp=cpu&workload=primes&lang=en`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('label[for="workload"]')).toHaveText('Workload');

  // Change a field, run, then switch: the field, the address and the run stay.
  await page.locator('#mode').selectOption('threads');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-row')).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  await page.locator('.language-switch [data-lang="zh-CN"]').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.locator('label[for="workload"]')).toHaveText('任务类型');
  await expect(page.locator('#mode')).toHaveValue('threads');
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-row')).toContainText('多线程');
  expect(new URL(page.url()).search).toBe('?exp=cpu&workload=primes&mode=threads&lang=zh-CN');
  // Links keep the language chosen.
  await expect(page.locator('nav.experiments a').first()).toHaveAttribute('href', '?exp=home&lang=zh-CN');
  await context.close();
});
