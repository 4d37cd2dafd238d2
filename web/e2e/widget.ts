/**
 * Phase 2, the embeddable `<vitrin-stats>` widget: the demo page under the strict CSP,
 * live numbers that follow an approval made by a script (Bearer token), the visit
 * recorded once per day, counting up; then embedded in another site (a page of a
 * made-up origin, with its own strict CSP) and falling back to HTTP polling when the
 * websocket cannot connect. Last, signing out of the dashboard.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import http from 'node:http';
import type { Locator, Page } from 'playwright-core';
import { checkAccessibility, screenshot, waitForPath, waitForText } from './browser';
import { api, apiOk, apiToken, env, inBrowser, publicStats, signInFromStart } from './harness';
import { freePort } from './server';

const nf = (n: number) => n.toLocaleString('tr-TR');
const pct = (n: number, lang: 'tr' | 'en' = 'tr') =>
  new Intl.NumberFormat(lang === 'tr' ? 'tr-TR' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(n / 100);

/** The final value of one number of a widget (what screen readers read). */
const value = (widget: Locator, stat: string) => widget.locator(`[data-stat="${stat}"] .sr`);
async function labels(widget: Locator): Promise<string[]> {
  await widget.locator('dt').first().waitFor();
  return widget.locator('dt').allTextContents();
}

/** Waits until every count-up of every widget on the page has reached its value. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    [...document.querySelectorAll('vitrin-stats')].every((w) =>
      [...(w.shadowRoot?.querySelectorAll('dd') ?? [])].every((dd) => {
        const shown = dd.querySelector('[aria-hidden="true"]')?.textContent;
        return shown !== '—' && shown === dd.querySelector('.sr')?.textContent;
      }),
    ),
  );
}

async function widgetState(page: Page, index = 0): Promise<string | null> {
  return page.locator('vitrin-stats').nth(index).getAttribute('data-state');
}

test('widget: the demo page shows live numbers, records the visit once a day, and follows an approval made through the API', async () => {
  const token = await apiToken();
  // The third review from this address in ten minutes; a fourth is refused.
  const { submitReview } = await apiOk<{ submitReview: { id: string } }>(
    'mutation($input: ReviewInput!) { submitReview(input: $input) { id } }',
    { input: { authorName: 'Elif', rating: 4, comment: 'Temiz ve hızlı çalıştılar.' } },
  );
  const fourth = await api('mutation($input: ReviewInput!) { submitReview(input: $input) { id } }', {
    input: { authorName: 'Dördüncü', rating: 5, comment: 'Bir tane daha.' },
  });
  assert.equal(fourth.errors[0]?.extensions?.code, 'RATE_LIMITED');
  assert.ok((fourth.errors[0]?.extensions?.retryAfter ?? 0) > 0, 'RATE_LIMITED without retryAfter');

  const before = await publicStats();
  await inBrowser('widget-demo', async ({ page }) => {
    const visits: string[] = [];
    page.on('request', (r) => {
      if ((r.postData() ?? '').includes('RecordVisit')) visits.push(r.url());
    });
    const response = await page.goto('/widgets/demo');
    assert.equal(response?.status(), 200);
    assert.match(response?.headers()['content-security-policy'] ?? '', /script-src 'self'; style-src 'self'/);
    await page.getByRole('heading', { name: 'Hakkımızda' }).waitFor();

    const tr = page.locator('vitrin-stats').first();
    const en = page.locator('vitrin-stats[lang="en"]');
    assert.deepEqual(await labels(tr), ['Tamamlanan iş', 'Mutlu müşteri', 'Memnuniyet', 'Yıllık deneyim']);
    assert.deepEqual(await labels(en), ['Completed jobs', 'Years of experience']);
    await page.waitForFunction(() => document.querySelector('vitrin-stats')?.getAttribute('data-state') === 'live');
    await waitForText(value(tr, 'happyCustomers'), nf(before.happyCustomers));
    await waitForText(value(tr, 'satisfactionPercent'), pct(before.satisfactionPercent));
    await waitForText(value(tr, 'yearsOfExperience'), nf(before.yearsOfExperience));
    await waitForText(value(en, 'yearsOfExperience'), String(before.yearsOfExperience));

    // The visit: recorded once (both widgets share it), remembered for the day.
    await page.waitForFunction(() => localStorage.getItem('vitrin.visitDay') !== null);
    const stored = await page.evaluate(() => ({ id: localStorage.getItem('vitrin.visitorId'), day: localStorage.getItem('vitrin.visitDay') }));
    assert.match(stored.id ?? '', /^v-[0-9a-f]{32}$/);
    assert.equal(stored.day, new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Istanbul' }).format(new Date()));
    assert.equal(visits.length, 1);
    const afterVisit = await publicStats();
    assert.equal(afterVisit.visitCount, before.visitCount + 1);
    // Visits do not count as jobs any more (the settings test turned that off).
    await waitForText(value(tr, 'completedJobs'), nf(afterVisit.completedJobs));
    await settled(page);
    await checkAccessibility(page, 'widget demo');
    await screenshot(page, '37-widget-demo');

    // Reloading the same day records nothing.
    await page.reload();
    await page.waitForFunction(() => document.querySelector('vitrin-stats')?.getAttribute('data-state') === 'live');
    await page.waitForTimeout(300);
    assert.equal(visits.length, 1, 'the visit was recorded again the same day');

    // A script approves the review with a Bearer token: the page follows, counting.
    const seen = new Set<string>();
    const sampler = (async () => {
      const visible = tr.locator('[data-stat="satisfactionPercent"] [aria-hidden="true"]');
      const end = Date.now() + 4000;
      while (Date.now() < end) {
        seen.add((await visible.textContent()) ?? '');
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    await apiOk('mutation($id: ID!) { approveReview(id: $id) { status } }', { id: submitReview.id }, token);
    const after = await publicStats();
    assert.equal(after.completedJobs, afterVisit.completedJobs + 1);
    assert.equal(after.happyCustomers, afterVisit.happyCustomers + 1);
    assert.notEqual(after.satisfactionPercent, afterVisit.satisfactionPercent);
    await waitForText(value(tr, 'completedJobs'), nf(after.completedJobs));
    await waitForText(value(tr, 'happyCustomers'), nf(after.happyCustomers));
    await waitForText(value(tr, 'satisfactionPercent'), pct(after.satisfactionPercent));
    await waitForText(value(en, 'completedJobs'), after.completedJobs.toLocaleString('en-GB'));
    await sampler;
    await settled(page);
    // It counted: values between the old and the new one were shown.
    const between = [...seen].filter((s) => s !== pct(afterVisit.satisfactionPercent) && s !== pct(after.satisfactionPercent));
    assert.ok(between.length >= 2, `no count-up was seen (${[...seen].join(', ')})`);
    await screenshot(page, '38-widget-updated');
  });
});

test('widget: embedded in another site under that site’s strict CSP, and polling over HTTP when the websocket cannot connect', async () => {
  const origin = env.server.origin;
  const ws = origin.replace(/^http/, 'ws');
  const stats = await publicStats();
  // The owner's (Django) site: another origin and site (localhost, not 127.0.0.1; both on
  // loopback, so that Chromium's private-network rules stay out of it), with a strict
  // policy of its own that names the Vitrin server.
  const site = await startSite((siteOrigin) => ({
    csp: `default-src 'none'; script-src ${origin}; connect-src ${origin} ${ws}; img-src data:; style-src 'self'; base-uri 'none'`,
    html: `<!doctype html>
<html lang="tr">
  <head>
    <meta charset="utf-8" />
    <title>Hakkımızda · Usta Tadilat (${siteOrigin})</title>
    <link rel="icon" href="data:," />
    <script type="module" src="${origin}/widgets/stats.js"></script>
  </head>
  <body>
    <h1>Hakkımızda</h1>
    <vitrin-stats show="yearsOfExperience, completedJobs"></vitrin-stats>
  </body>
</html>`,
  }));
  try {
    await embedded(site.origin, origin, stats.yearsOfExperience);
  } finally {
    await site.close();
  }
});

async function embedded(site: string, origin: string, years: number): Promise<void> {
  await inBrowser('widget-embedded', async ({ page, context }) => {
    const cookies: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(origin) && r.headers().cookie) cookies.push(r.url());
    });
    await page.goto(`${site}/hakkimizda/`);
    const widget = page.locator('vitrin-stats');
    assert.deepEqual(await labels(widget), ['Yıllık deneyim', 'Tamamlanan iş']);
    // Live over the cross-origin websocket (no cookies), and the visit recorded.
    await page.waitForFunction(() => document.querySelector('vitrin-stats')?.getAttribute('data-state') === 'live');
    await waitForText(value(widget, 'yearsOfExperience'), nf(years));
    await page.waitForFunction(() => localStorage.getItem('vitrin.visitDay') !== null);
    assert.deepEqual(cookies, []);
    await settled(page);
    await screenshot(page, '39-widget-embedded');

    // The websocket refused (a proxy that drops it): one HTTP query, then a minute's polling.
    const second = await context.newPage();
    await second.routeWebSocket(/\/graphql\/ws$/, (socket) => socket.close());
    await second.goto(`${site}/hakkimizda/`);
    await second.waitForFunction(() => document.querySelector('vitrin-stats')?.getAttribute('data-state') === 'polling');
    await waitForText(value(second.locator('vitrin-stats'), 'completedJobs'), nf((await publicStats()).completedJobs));
    assert.equal(await widgetState(second), 'polling');
    await second.close();
  });
}

/** A one-page web site on loopback, at http://localhost:<port>. */
async function startSite(page: (origin: string) => { csp: string; html: string }): Promise<{ origin: string; close(): Promise<void> }> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const { csp, html } = page(origin);
  const server = http.createServer((request, response) => {
    if (request.url?.startsWith('/hakkimizda/')) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
      response.end(html);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('signing out at the end', async () => {
  await inBrowser('sign-out', async ({ page }) => {
    await signInFromStart(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Medya' }).click();
    await waitForPath(page, '/dashboard/media/');
    await page.getByRole('meter', { name: 'Depolama alanı' }).waitFor();
    await page.getByRole('banner').getByRole('button', { name: 'Çıkış yap' }).click();
    await waitForPath(page, '/dashboard/login/');
    await waitForText(page.getByRole('status'), 'Çıkış yaptınız.');
    // The session is over on the server too.
    await page.goto('/dashboard/stats/');
    await waitForPath(page, `/dashboard/login/?next=${encodeURIComponent('/dashboard/stats/')}`);
  });
});
