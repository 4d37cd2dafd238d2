/**
 * The real thing, on this machine: the Rust origin (`VITRIN_BIN`, default
 * ../target/debug/vitrin) on a fresh SQLite database, a counting proxy in front of it
 * (how many requests reached the origin, websockets piped through), and edge nodes —
 * this worker on workerd through `scripts/dev.sh`, each with its own cache and tag
 * index — told by the origin to purge (`VITRIN_EDGE_PURGE_URLS`). Used by the
 * end-to-end tests and the benchmark.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const EDGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = path.resolve(EDGE_DIR, process.env.VITRIN_BIN ?? '../target/debug/vitrin');
export const SECRET = 'edge-e2e-secret-of-at-least-32-characters';
export const ADMIN = { email: 'owner@example.com', password: 'kirmizi bisiklet 42' };

/** A free TCP port on 127.0.0.1 (taken again by whoever binds it next). */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

function collect(child) {
  let output = '';
  child.stdout?.on('data', (d) => (output = (output + d).slice(-20_000)));
  child.stderr?.on('data', (d) => (output = (output + d).slice(-20_000)));
  return () => output;
}

async function until(what, check, logs, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not become ready:\n${logs()}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function stop(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * A proxy that counts the requests reaching the origin by `METHOD path`.
 * @param {string} origin
 */
async function countingProxy(origin) {
  const target = new URL(origin);
  /** @type {Map<string, number>} */
  const counts = new Map();
  const server = http.createServer((req, res) => {
    const key = `${req.method} ${(req.url ?? '').split('?')[0]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  // Websockets: the raw upgrade request, then bytes both ways.
  server.on('upgrade', (req, socket, head) => {
    const upstream = net.connect(Number(target.port), target.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    /** Requests that reached the origin as `METHOD path`. */
    count: (key) => counts.get(key) ?? 0,
    reset: () => counts.clear(),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve(undefined)); }),
  };
}

/**
 * Starts the origin, the counting proxy and `nodes` edge nodes; `env` adds settings of
 * the origin.
 * @param {{ nodes?: number, env?: Record<string, string> }} options
 */
export async function startStack({ nodes = 2, env: extra = {} } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vitrin-edge-e2e-'));
  const originPort = await freePort();
  const origin = `http://127.0.0.1:${originPort}`;
  const proxy = await countingProxy(origin);
  const edgePorts = [];
  for (let i = 0; i < nodes; i++) edgePorts.push(await freePort());
  const edges = edgePorts.map((port) => `http://127.0.0.1:${port}`);
  const env = {
    ...process.env,
    VITRIN_DATA_DIR: path.join(dir, 'data'),
    VITRIN_LISTEN: `127.0.0.1:${originPort}`,
    VITRIN_LOG: 'warn',
    VITRIN_EDGE_SECRET: SECRET,
    VITRIN_EDGE_URL: edges[0],
    VITRIN_EDGE_PURGE_URLS: edges.map((e) => `${e}/__edge/purge`).join(','),
    VITRIN_JOB_POLL_INTERVAL: '100ms',
    VITRIN_JOB_RETRY_DELAY: '200ms',
    ...extra,
  };
  const created = spawn(BIN, ['create-admin', '--email', ADMIN.email], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const createdLogs = collect(created);
  created.stdin.end(ADMIN.password + '\n');
  const code = await new Promise((resolve) => created.once('exit', resolve));
  if (code !== 0) throw new Error(`create-admin failed:\n${createdLogs()}`);

  const server = spawn(BIN, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const serverLogs = collect(server);
  await until('the origin', async () => (await fetch(`${origin}/readyz`)).status === 200, serverLogs);

  const workers = [];
  for (const [i, port] of edgePorts.entries()) {
    const child = spawn('bash', ['scripts/dev.sh'], {
      cwd: EDGE_DIR,
      env: {
        ...process.env,
        VITRIN_EDGE_SECRET: SECRET,
        EDGE_PORT: String(port),
        EDGE_ORIGIN: proxy.url,
        EDGE_STATE_DIR: path.join(dir, `edge-${i}`),
        EDGE_INSPECTOR_PORT: String(await freePort()),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs = collect(child);
    workers.push({ child, logs });
    await until(`edge node ${i}`, async () => (await fetch(`${edges[i]}/__edge/health`)).status === 200, logs, 90_000);
  }

  return {
    origin,
    edges,
    proxy,
    logs: () => [serverLogs(), ...workers.map((w) => w.logs())].join('\n---\n'),
    async stop() {
      for (const worker of workers) await stop(worker.child);
      await stop(server);
      await proxy.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * POSTs a GraphQL request to `base`.
 * @param {string} base
 * @param {string} query
 * @param {Record<string, unknown>} [variables]
 * @param {string} [token]
 * @param {Record<string, string>} [headers]
 */
export async function gql(base, query, variables = {}, token, headers = {}) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return /** @type {any} */ (await res.json());
}

/** A GET read of `query` from `base`: the response. */
export function read(base, query, headers = {}) {
  return fetch(`${base}/graphql?query=${encodeURIComponent(query)}`, { headers });
}

/** The administrator's session token. */
export async function adminToken(base) {
  const body = await gql(base, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: ADMIN.email, p: ADMIN.password });
  return body.data.login.token;
}
