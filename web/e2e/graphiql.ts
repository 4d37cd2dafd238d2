/**
 * GraphiQL as developers use it: bundled and served by the binary under the strict CSP,
 * asking no other host. It loads the schema with the standard introspection query (the
 * documentation explorer fills), runs the default document with the session cookie,
 * and runs a subscription over the websocket.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot, waitForText } from './browser';
import { env, inBrowser, owner, signInFromStart } from './harness';

/** Every request the page makes to a host other than the server's. */
function watchOutsideRequests(page: Page): string[] {
  const outside: string[] = [];
  const origin = new URL(env.server.origin);
  const isOutside = (address: string) => {
    const url = new URL(address);
    return !['data:', 'blob:'].includes(url.protocol) && url.host !== origin.host;
  };
  page.on('request', (request) => {
    if (isOutside(request.url())) outside.push(request.url());
  });
  page.on('websocket', (socket) => {
    if (isOutside(socket.url())) outside.push(socket.url());
  });
  return outside;
}

/** Runs the operation named `name` of the editor's document. */
async function run(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: /Execute query/ }).click();
  await page.getByRole('menuitem', { name }).click();
}

const result = (page: Page) => page.locator('.graphiql-response');

test('GraphiQL: bundled under the CSP, loads the schema by introspection, runs queries with the session cookie and subscriptions over the websocket', async () => {
  await inBrowser('graphiql', async ({ page }) => {
    const outside = watchOutsideRequests(page);
    await signInFromStart(page);
    const response = await page.goto('/graphiql');
    assert.ok(response?.headers()['content-security-policy']?.includes("script-src 'self'"), 'the strict CSP');
    await page.getByText('query Overview').first().waitFor();

    await page.getByRole('button', { name: /Documentation Explorer/ }).click();
    await page.getByText('Root Types').waitFor();
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().click();
    await page.locator('.graphiql-doc-explorer').getByText('stats', { exact: true }).first().waitFor();
    await screenshot(page, 'graphiql-docs');

    await run(page, 'Overview');
    await waitForText(result(page), owner.email);
    await waitForText(result(page), 'completedJobs');
    await screenshot(page, 'graphiql-query');

    await run(page, 'LiveStats');
    await waitForText(result(page), 'statsUpdated');
    await screenshot(page, 'graphiql-subscription');

    assert.deepEqual(outside, [], 'GraphiQL asked no other host');
  });
});
