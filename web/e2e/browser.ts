/** Chromium (Debian's, through playwright-core: no browser download) and page checks. */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Problems {
  /** Console errors, uncaught exceptions and CSP violations seen so far. */
  list: string[];
  /** Console errors a scenario provokes on purpose (e.g. Chromium's log line for a 413). */
  expected: RegExp[];
}

/** A fresh browser profile (no cookies, no storage) whose problems are recorded. */
export async function newContext(
  browser: Browser,
  origin: string,
  options: { mobile?: boolean; javaScript?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; problems: Problems }> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScript ?? true,
    baseURL: origin,
    viewport: options.mobile ? { width: 390, height: 844 } : { width: 1280, height: 860 },
    deviceScaleFactor: 1,
    isMobile: options.mobile ?? false,
    hasTouch: options.mobile ?? false,
    locale: 'tr-TR',
    timezoneId: 'Europe/Istanbul',
  });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  // CSP violations are reported as DOM events; collect them on every page.
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  const problems: Problems = { list: [], expected: [] };
  const page = await context.newPage();
  watch(page, problems);
  context.on('page', (p) => watch(p, problems));
  return { context, page, problems };
}

function watch(page: Page, problems: Problems): void {
  page.on('console', (message) => {
    if (message.type() === 'error') problems.list.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.list.push(`page error: ${error.message}`));
}

/** Fails when the page reported CSP violations, console errors or exceptions. */
export async function assertNoProblems(page: Page, problems: Problems): Promise<void> {
  const csp = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []).catch(() => []);
  const unexpected = problems.list.filter((p) => !problems.expected.some((e) => e.test(p)));
  const all = [...unexpected, ...csp.map((c) => `CSP: ${c}`)];
  assert.deepEqual(all, [], `the page reported problems:\n${all.join('\n')}`);
}

const SHOTS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'test-results', 'screenshots');

/**
 * Saves a screenshot to test-results/screenshots/<name>.png: the full page, or (with a
 * modal dialog open) what is in the window.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  // Let transitions and the spinner settle.
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: options.fullPage ?? true });
}

/** Waits until the locator's text matches (contains a string, matches a pattern, or passes a test). */
export async function waitForText(locator: Locator, expected: RegExp | string | ((text: string) => boolean), timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      last = (await locator.first().textContent({ timeout: 1_000 })) ?? '';
      const ok =
        typeof expected === 'string' ? last.includes(expected) : typeof expected === 'function' ? expected(last) : expected.test(last);
      if (ok) return last;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) {
      throw new Error(`expected ${String(expected)} in ${locator.toString()}, last text: ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the page's address (path + query + fragment) is `expected`. */
export async function waitForPath(page: Page, expected: string | RegExp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const url = new URL(page.url());
    const here = url.pathname + url.search + url.hash;
    if (typeof expected === 'string' ? here === expected : expected.test(here)) return;
    if (Date.now() > deadline) throw new Error(`expected the address ${String(expected)}, got ${here}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const LABELLED_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'checkbox', 'radio', 'spinbutton', 'slider', 'switch', 'listbox']);

const DOM_CHECKS = `(() => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const controls = [...document.querySelectorAll('input, select, textarea')].filter(
    (el) => el.type !== 'hidden' && visible(el),
  );
  const unlabelled = controls
    .filter((el) => {
      const labels = el.labels;
      const hasLabel = !!labels && [...labels].some((l) => (l.textContent || '').trim() !== '');
      return !hasLabel && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby');
    })
    .map((el) => el.outerHTML.slice(0, 120));
  const fakeButtons = [...document.querySelectorAll('[onclick], [role="button"]:not(button)')].map((el) => el.outerHTML.slice(0, 120));
  const h1s = [...document.querySelectorAll('h1')].filter(visible).length;
  return { controls: controls.length, unlabelled, fakeButtons, h1s, lang: document.documentElement.lang };
})()`;

/**
 * Accessibility basics of what is on screen: every form control has an accessible name
 * (Chromium's own accessibility tree) and a <label> or ARIA label; buttons have names; one
 * <h1>; the document has a language; nothing clickable pretends to be a button.
 */
export async function checkAccessibility(page: Page, where: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Accessibility.enable');
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: Array<{ ignored: boolean; role?: { value?: string }; name?: { value?: string } }>;
    };
    const unnamed = nodes
      .filter((n) => !n.ignored && (LABELLED_ROLES.has(n.role?.value ?? '') || n.role?.value === 'button' || n.role?.value === 'link'))
      .filter((n) => !(n.name?.value ?? '').trim())
      .map((n) => n.role?.value);
    assert.deepEqual(unnamed, [], `${where}: controls without an accessible name: ${unnamed.join(', ')}`);
  } finally {
    await cdp.detach();
  }
  // A string, not a function: tsx's transpiler would wrap inner functions in a helper
  // that does not exist in the page.
  const dom = (await page.evaluate(DOM_CHECKS)) as {
    controls: number;
    unlabelled: string[];
    fakeButtons: string[];
    h1s: number;
    lang: string;
  };
  assert.deepEqual(dom.unlabelled, [], `${where}: inputs without a label`);
  assert.deepEqual(dom.fakeButtons, [], `${where}: clickable elements that are not buttons`);
  assert.equal(dom.h1s, 1, `${where}: expected exactly one visible <h1>`);
  assert.match(dom.lang, /^(tr|en)$/, `${where}: <html lang> is not set`);
}

/** Tabbing shows where the focus is: every focused element gets a visible outline. */
export async function checkFocusVisible(page: Page, where: string, steps = 5): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = 0; i < steps; i++) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      return { tag: el.tagName, text: (el.textContent ?? '').trim().slice(0, 40), outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    if (!focus) continue;
    assert.ok(
      focus.outline !== 'none' && focus.width >= 2,
      `${where}: focused ${focus.tag} "${focus.text}" has no visible focus outline (${focus.outline} ${focus.width}px)`,
    );
  }
}
