/**
 * What every browser test shares: one server (fresh database) and one Chromium for the
 * whole run, the site owner's credentials as the tests change them, a fresh browser
 * profile per scenario whose console errors and CSP violations fail it, and helpers for
 * signing in and for talking to the API directly.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assertNoProblems, launchBrowser, newContext, screenshot, waitForPath, type Problems } from './browser';
import { startProviders, type SignInProviders } from './providers';
import { startServer, type Server } from './server';

export const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = path.resolve(WEB, process.env.VITRIN_BIN ?? '../target/debug/vitrin');
export const DIST = path.join(WEB, 'dist');
export const FIXTURES = path.join(WEB, 'e2e', 'fixtures');

/** The site owner; e-mail and password change as the scenarios go. */
export const owner = { email: 'owner@example.com', password: 'kirmizi bisiklet 42' };
/** A second administrator whose sign-in gets throttled. */
export const locked = { email: 'locked@example.com', password: 'sarı denizaltı 1968' };

/**
 * The storage budget of the test server: small, so that a few uploads move the bar
 * visibly (and past its 80 % and 95 % marks).
 */
export const STORAGE_LIMIT = 2_500_000;

/** The server, the browser, and the local Google and Facebook the server signs in with. */
export interface Env {
  server: Server;
  browser: Browser;
  providers: SignInProviders;
}

export const env: Env = {} as Env;
export const seenMail = new Set<string>();

before(async () => {
  rmSync(path.join(WEB, 'test-results', 'screenshots'), { recursive: true, force: true });
  // Before the server: it reads their addresses from its settings.
  env.providers = await startProviders();
  env.server = await startServer({
    bin: BIN,
    distDir: DIST,
    admins: [owner, locked],
    env: { VITRIN_STORAGE_LIMIT: String(STORAGE_LIMIT), ...env.providers.env },
  });
  console.log(
    `# server at ${env.server.origin} (${env.server.servedByBinary ? 'the binary serves web/dist' : 'web/dist served by the test proxy'})`,
  );
  env.browser = await launchBrowser();
});

after(async () => {
  await env.browser?.close();
  if (env.server) {
    if (process.exitCode) console.log(`# server log (tail):\n${env.server.logs()}`);
    await env.server.stop();
  }
  if (env.providers) {
    const refused = env.providers.refusals();
    if (process.exitCode && refused.length > 0) console.log(`# the sign-in providers refused:\n${refused.join('\n')}`);
    await env.providers.stop();
  }
});

export interface Session {
  context: BrowserContext;
  page: Page;
  problems: Problems;
}

/** Runs `body` in a fresh browser profile; checks the page stayed clean; screenshots failures. */
export async function inBrowser(
  name: string,
  body: (s: Session) => Promise<void>,
  options: { mobile?: boolean; javaScript?: boolean } = {},
): Promise<void> {
  const s = await newContext(env.browser, env.server.origin, options);
  try {
    await body(s);
    await assertNoProblems(s.page, s.problems);
  } catch (error) {
    await screenshot(s.page, `FAILED-${name}`).catch(() => undefined);
    throw error;
  } finally {
    await s.context.close();
  }
}

export const field = (page: Page, label: string | RegExp) =>
  page.getByLabel(label, { exact: typeof label === 'string' ? true : undefined });

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await field(page, /^(E-posta|E-mail)$/).fill(email);
  await field(page, /^(Parola|Password)$/).fill(password);
  await page.getByRole('button', { name: /^(Giriş yap|Sign in)$/ }).click();
}

export async function signInFromStart(page: Page): Promise<void> {
  await page.goto('/dashboard/login/');
  await signIn(page, owner.email, owner.password);
  await waitForPath(page, '/dashboard/');
  await page.getByRole('heading', { level: 1 }).waitFor();
}

export const heading = (page: Page) => page.getByRole('heading', { level: 1 });

/** graphql-transport-ws handshake from the page (a string: see checkAccessibility). */
export const WS_HANDSHAKE = `new Promise((resolve) => {
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql/ws';
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const timer = setTimeout(() => resolve('timeout'), 5000);
  socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  socket.onmessage = (event) => { clearTimeout(timer); resolve(JSON.parse(event.data).type); socket.close(); };
  socket.onerror = () => { clearTimeout(timer); resolve('error'); };
})`;

export interface GraphqlAnswer<T> {
  status: number;
  data: T | null;
  errors: Array<{ message: string; extensions?: { code?: string; retryAfter?: number } }>;
}

/** A GraphQL request from the test itself (as another client would send it). */
export async function api<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphqlAnswer<T>> {
  const response = await fetch(`${env.server.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T | null; errors?: GraphqlAnswer<T>['errors'] };
  return { status: response.status, data: body.data ?? null, errors: body.errors ?? [] };
}

/** Like `api`, failing the test on any GraphQL error. */
export async function apiOk<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const answer = await api<T>(query, variables, token);
  if (answer.errors.length > 0 || !answer.data) {
    throw new Error(`${query.slice(0, 60)}… failed: ${JSON.stringify(answer.errors)}`);
  }
  return answer.data;
}

/** Signs in through the API (as a script would) and returns the Bearer token. */
export async function apiToken(): Promise<string> {
  const data = await apiOk<{ login: { token: string } }>(
    'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
    { e: owner.email, p: owner.password },
  );
  return data.login.token;
}

export interface PublicStats {
  completedJobs: number;
  happyCustomers: number;
  satisfactionPercent: number;
  yearsOfExperience: number;
  reviewCount: number;
  visitCount: number;
  contactMessages: number;
  averageRating: number;
}

export async function publicStats(): Promise<PublicStats> {
  const data = await apiOk<{ stats: PublicStats }>(
    '{ stats { completedJobs happyCustomers satisfactionPercent yearsOfExperience reviewCount visitCount contactMessages averageRating } }',
  );
  return data.stats;
}

/** The server's media fixtures (tests/fixtures/media/), shared rather than copied. */
const SERVER_FIXTURES = path.join(WEB, '..', 'tests', 'fixtures', 'media');

/** A file of e2e/fixtures/, or else of the server's media fixtures (see the README). */
export function fixture(name: string): string {
  const file = [path.join(FIXTURES, name), path.join(SERVER_FIXTURES, name)].find((f) => existsSync(f));
  if (!file) throw new Error(`missing fixture ${name}`);
  return file;
}
