/**
 * Serves web/dist the way the Rust server does (the dashboard with its SPA fallback and
 * strict CSP, the widgets) and passes everything else to the binary, websockets
 * included. Used only when the binary does not serve /dashboard/ itself yet.
 */
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https://res.cloudinary.com; " +
  "media-src 'self' blob: https://res.cloudinary.com; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; " +
  "form-action 'self'; object-src 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function fileIn(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const file = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  if (!file.startsWith(root + path.sep) && file !== root) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

function send(res: http.ServerResponse, file: string, status = 200, cache = 'no-cache'): void {
  res.writeHead(status, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': cache,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  });
  createReadStream(file).pipe(res);
}

export interface Proxy {
  port: number;
  close(): Promise<void>;
}

export async function startProxy(options: { distDir: string; backendPort: number; port: number }): Promise<Proxy> {
  const dashboard = path.join(options.distDir, 'dashboard');
  const widgets = path.join(options.distDir, 'widgets');
  const index = path.join(dashboard, 'index.html');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const p = url.pathname;
    if (p === '/dashboard') {
      res.writeHead(308, { location: '/dashboard/' }).end();
      return;
    }
    if (p.startsWith('/dashboard/')) {
      const rest = p.slice('/dashboard/'.length);
      const file = rest === '' ? null : fileIn(dashboard, rest);
      if (file) return send(res, file, 200, rest.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      if (rest.startsWith('assets/')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      return send(res, index);
    }
    if (p === '/widgets/demo' || p.startsWith('/widgets/')) {
      const file = p === '/widgets/demo' ? path.join(widgets, 'demo.html') : fileIn(widgets, p.slice('/widgets/'.length));
      if (file) return send(res, file);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const upstream = http.request(
      { host: '127.0.0.1', port: options.backendPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway');
    });
    req.pipe(upstream);
  });
  // Websockets (/graphql/ws): replay the handshake to the binary and splice the sockets.
  server.on('upgrade', (req, socket, head) => {
    const backend = net.connect(options.backendPort, '127.0.0.1', () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      backend.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length) backend.write(head);
      backend.pipe(socket);
      socket.pipe(backend);
    });
    backend.on('error', () => socket.destroy());
    socket.on('error', () => backend.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  return {
    port: options.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
