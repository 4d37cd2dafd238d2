/**
 * A restart nobody notices: the server is stopped with SIGTERM and started again while
 * the live widget and the dashboard's live numbers are open; both come back by
 * themselves, through their websockets, within a second of the server being ready.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { waitForPath, waitForText } from './browser';
import { env, heading, inBrowser, signInFromStart } from './harness';

/** Records in the page every change of what `selector`'s `attribute` says, with its time. */
async function recordChanges(page: Page, selector: string, attribute: string): Promise<void> {
  await page.evaluate(
    ({ selector, attribute }) => {
      const element = document.querySelector(selector);
      if (!element) throw new Error(`no ${selector}`);
      const changes: Array<{ value: string | null; at: number }> = [];
      (window as unknown as { changes: typeof changes }).changes = changes;
      new MutationObserver(() => changes.push({ value: element.getAttribute(attribute), at: Date.now() })).observe(element, {
        attributes: true,
        attributeFilter: [attribute],
      });
    },
    { selector, attribute },
  );
}

/** When `value` was next reached after something else was shown. */
async function backAt(page: Page, value: string): Promise<number> {
  const handle = await page.waitForFunction((value) => {
    const changes = (window as unknown as { changes: Array<{ value: string | null; at: number }> }).changes;
    const away = changes.findIndex((c) => c.value !== value);
    const back = away < 0 ? undefined : changes.slice(away).find((c) => c.value === value);
    return back?.at;
  }, value);
  return (await handle.jsonValue()) as number;
}

test('restart: the widget and the dashboard reconnect by themselves within a second of the server', async () => {
  await inBrowser('restart', async ({ context, page, problems }) => {
    // While the server is down, the widget's fallback poll and the websocket find nobody.
    problems.expected.push(/Failed to load resource: net::ERR_CONNECTION_REFUSED/, /WebSocket connection to .* failed/);
    await signInFromStart(page);
    await page.getByRole('navigation').getByRole('link', { name: 'İstatistikler' }).click();
    await waitForPath(page, '/dashboard/stats/');
    await waitForText(heading(page), 'İstatistikler');
    await waitForText(page.locator('section.live-numbers .live-badge'), 'Canlı');
    await recordChanges(page, 'section.live-numbers .live-badge', 'data-live');

    const widgetPage = await context.newPage();
    await widgetPage.goto('/widgets/demo');
    await widgetPage.waitForFunction(() => document.querySelector('vitrin-stats')?.getAttribute('data-state') === 'live');
    await recordChanges(widgetPage, 'vitrin-stats', 'data-state');

    await env.server.restart();
    const ready = Date.now();
    const dashboardBack = await backAt(page, 'live');
    const widgetBack = await backAt(widgetPage, 'live');
    console.log(`# back after the restart: dashboard ${dashboardBack - ready} ms, widget ${widgetBack - ready} ms`);
    assert.ok(dashboardBack - ready < 1000, `the dashboard came back ${dashboardBack - ready} ms after the server`);
    assert.ok(widgetBack - ready < 1000, `the widget came back ${widgetBack - ready} ms after the server`);
    await widgetPage.close();
  });
});
