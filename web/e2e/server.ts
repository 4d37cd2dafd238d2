/**
 * Starts the real Vitrin binary on a fresh database for one test run: a temporary data
 * directory, administrators created through the CLI, `serve` on a free port, and — when
 * this binary does not serve /dashboard/ yet — a small proxy in front of it that serves
 * web/dist exactly as the server will.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startProxy, type Proxy } from './proxy';

export interface Admin {
  email: string;
  password: string;
}

export interface Server {
  /** The origin the browser uses (the binary's, or the proxy's). */
  origin: string;
  dataDir: string;
  outbox: string;
  /** Whether the binary serves the dashboard itself (no proxy). */
  servedByBinary: boolean;
  logs(): string;
  /** Stops the binary with SIGTERM, as a service manager does, and starts it again on the
   * same port and data; resolves once it is ready (answers /readyz). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function run(bin: string, args: string[], env: NodeJS.ProcessEnv, stdin: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
    child.stdin.end(stdin + '\n');
  });
}

async function waitUntilReady(origin: string, child: ChildProcess, logs: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${logs()}`);
    try {
      const res = await fetch(`${origin}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not become ready at ${origin}/readyz:\n${logs()}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGINT'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export async function startServer(options: { bin: string; distDir: string; admins: Admin[]; env?: Record<string, string> }): Promise<Server> {
  const { bin, distDir } = options;
  if (!existsSync(bin)) throw new Error(`no Vitrin binary at ${bin} (set VITRIN_BIN)`);
  const indexHtml = path.join(distDir, 'dashboard', 'index.html');
  if (!existsSync(indexHtml)) throw new Error(`no build at ${distDir}: run \`npm run build\` first`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vitrin-e2e-'));
  const binaryPort = await freePort();
  const baseEnv = (publicPort: number): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    VITRIN_DATA_DIR: dataDir,
    VITRIN_DATABASE_URL: `sqlite://${dataDir}/vitrin.db`,
    VITRIN_LISTEN: `127.0.0.1:${binaryPort}`,
    VITRIN_PUBLIC_URL: `http://127.0.0.1:${publicPort}`,
    VITRIN_WEB_DIR: distDir,
    VITRIN_LOG: 'warn',
    ...options.env,
  });

  for (const admin of options.admins) {
    const result = await run(bin, ['create-admin', '--email', admin.email], baseEnv(binaryPort), admin.password);
    if (result.code !== 0) throw new Error(`create-admin ${admin.email} failed (${result.code}):\n${result.output}`);
  }

  let log = '';
  const logs = () => log.slice(-20_000);
  const serve = (publicPort: number) => {
    const child = spawn(bin, ['serve'], { env: baseEnv(publicPort), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d) => (log += d));
    child.stderr?.on('data', (d) => (log += d));
    return child;
  };

  // First as itself: does it serve our build under /dashboard/?
  let child = serve(binaryPort);
  const binaryOrigin = `http://127.0.0.1:${binaryPort}`;
  await waitUntilReady(binaryOrigin, child, logs);
  const page = await fetch(`${binaryOrigin}/dashboard/`).then(
    async (r) => (r.ok ? await r.text() : ''),
    () => '',
  );
  const servedByBinary = page.trim() === readFileSync(indexHtml, 'utf8').trim();

  let proxy: Proxy | null = null;
  let origin = binaryOrigin;
  let publicPort = binaryPort;
  if (!servedByBinary) {
    // Not yet: restart it with the proxy's address as its public URL (links in e-mails,
    // the websocket origin check) and put the proxy in front.
    await stopChild(child);
    const proxyPort = await freePort();
    proxy = await startProxy({ distDir, backendPort: binaryPort, port: proxyPort });
    publicPort = proxyPort;
    child = serve(proxyPort);
    origin = `http://127.0.0.1:${proxyPort}`;
    await waitUntilReady(origin, child, logs);
  }

  return {
    origin,
    dataDir,
    outbox: path.join(dataDir, 'outbox'),
    servedByBinary,
    logs,
    async restart() {
      await stopChild(child, 'SIGTERM');
      if (child.exitCode !== 0) throw new Error(`the server exited with ${child.exitCode ?? child.signalCode} on SIGTERM:\n${logs()}`);
      child = serve(publicPort);
      await waitUntilReady(origin, child, logs);
    },
    async stop() {
      await proxy?.close();
      await stopChild(child);
      if (!process.env.E2E_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
