/**
 * The worker on workerd in front of the real Rust origin: public reads served from the
 * edge, a change on the origin purging every edge node within a second, a product
 * image resized by photon and cached, private answers kept private, and the live
 * statistics passing through as a websocket.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { adminToken, gql, read, startStack } from './harness.mjs';

const STATS = '{ stats { reviewCount visitCount } }';
const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../tests/fixtures/media/photo-landscape.jpg');

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;
let token: string;

beforeAll(async () => {
  stack = await startStack({ nodes: 2 });
  token = await adminToken(stack.origin);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

async function reviewCount(base: string): Promise<{ count: number; cache: string | null }> {
  const res = await read(base, STATS);
  const body = (await res.json()) as { data: { stats: { reviewCount: number } } };
  return { count: body.data.stats.reviewCount, cache: res.headers.get('x-vitrin-cache') };
}

/** Width and height from a JPEG's start-of-frame marker. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) throw new Error('not a JPEG marker');
    const marker = bytes[i + 1]!;
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (marker >= 0xc0 && marker <= 0xc2) {
      return { height: (bytes[i + 5]! << 8) | bytes[i + 6]!, width: (bytes[i + 7]! << 8) | bytes[i + 8]! };
    }
    i += 2 + length;
  }
  throw new Error('no start-of-frame marker');
}

describe('the edge in front of the origin', () => {
  it('answers a burst of 1,000 identical public reads with one origin request', async () => {
    stack.proxy.reset();
    const burst = Array.from({ length: 1000 }, () => read(stack.edges[0]!, STATS));
    const answers = await Promise.all(burst);
    const bodies = await Promise.all(answers.map((a) => a.json()));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(stack.proxy.count('GET /graphql')).toBe(1);
    const caches = answers.map((a) => a.headers.get('x-vitrin-cache'));
    expect(caches.filter((c) => c === 'MISS')).toHaveLength(1);
    expect(answers.some((a) => a.headers.has('cache-tag'))).toBe(false);
  });

  it('shows an approved review on every edge node within a second', async () => {
    for (const edge of stack.edges) {
      await reviewCount(edge);
      expect((await reviewCount(edge)).cache).toBe('HIT');
    }
    const before = (await reviewCount(stack.edges[0]!)).count;
    const submitted = await gql(stack.edges[0]!, 'mutation($i: ReviewInput!) { submitReview(input: $i) { id } }', {
      i: { authorName: 'Ayşe K.', email: 'ayse@example.com', rating: 5, comment: 'Çok memnun kaldık, teşekkürler!' },
    });
    const approved = await gql(stack.edges[1]!, 'mutation($id: ID!) { approveReview(id: $id) { status } }', { id: submitted.data.submitReview.id }, token);
    expect(approved.data.approveReview.status).toBe('APPROVED');
    const approvedAt = Date.now();
    for (const edge of stack.edges) {
      let seen = (await reviewCount(edge)).count;
      while (seen === before && Date.now() - approvedAt < 1000) {
        await new Promise((r) => setTimeout(r, 25));
        seen = (await reviewCount(edge)).count;
      }
      expect(seen, `edge ${edge} after ${Date.now() - approvedAt} ms`).toBe(before + 1);
      console.log(`the approval showed on ${edge} ${Date.now() - approvedAt} ms after it was answered`);
    }
  });

  it('resizes a product picture with photon and keeps the result', async () => {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: 'mutation($f: Upload!) { uploadMedia(file: $f, section: PRODUCT) { id } }', variables: { f: null } }));
    form.append('map', JSON.stringify({ 0: ['variables.f'] }));
    form.append('0', new Blob([readFileSync(FIXTURE)], { type: 'image/jpeg' }), 'photo-landscape.jpg');
    const uploaded = (await (await fetch(`${stack.origin}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })).json()) as any;
    const cropped = await gql(
      stack.origin,
      'mutation($id: ID!) { cropMedia(id: $id, preset: "product", rect: { x: 500, y: 0, width: 2000, height: 2000 }) { variants { size format width srcset } } }',
      { id: uploaded.data.uploadMedia.id },
      token,
    );
    const main = cropped.data.cropMedia.variants.find((v: any) => v.size === 'main' && v.format === 'JPEG');
    const candidate = (main.srcset as string).split(', ').find((c) => c.endsWith(' 480w'))!;
    const url = candidate.split(' ')[0]!;
    expect(url.startsWith(`${stack.edges[0]}/img/`)).toBe(true);
    stack.proxy.reset();
    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/jpeg');
    expect(first.headers.get('x-vitrin-cache')).toBe('MISS');
    const bytes = new Uint8Array(await first.arrayBuffer());
    expect(jpegSize(bytes)).toEqual({ width: 480, height: 480 });
    const again = await fetch(url);
    expect(again.headers.get('x-vitrin-cache')).toBe('HIT');
    expect(new Uint8Array(await again.arrayBuffer())).toEqual(bytes);
    const source = new URL((main.srcset as string).split(', ').at(-1)!.split(' ')[0]!);
    expect(stack.proxy.count(`GET ${source.pathname}`)).toBe(1);
    const forged = await fetch(url.replace('/480/', '/640/'));
    expect(forged.status).toBe(403);
  });

  it('keeps private answers private', async () => {
    stack.proxy.reset();
    for (let i = 0; i < 3; i++) {
      const mine = await read(stack.edges[0]!, STATS, { authorization: `Bearer ${token}` });
      expect(mine.headers.get('x-vitrin-cache')).toBe('BYPASS');
      expect(mine.headers.get('cache-control')).toBe('private, no-store');
      await mine.arrayBuffer();
      const me = await read(stack.edges[0]!, '{ me { email } }', { authorization: `Bearer ${token}` });
      expect(((await me.json()) as any).data.me.email).toBe('owner@example.com');
    }
    expect(stack.proxy.count('GET /graphql')).toBe(6);
    const guest = await read(stack.edges[0]!, '{ me { email } }');
    expect(((await guest.json()) as any).data.me).toBeNull();
  });

  it('passes the live statistics through as a websocket', async () => {
    const socket = new WebSocket(`${stack.edges[0]!.replace('http', 'ws')}/graphql/ws`, 'graphql-transport-ws');
    const messages: any[] = [];
    const next = (type: string) =>
      new Promise<any>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${type} in ${JSON.stringify(messages)}`)), 10_000);
        const look = () => {
          const found = messages.findIndex((m) => m.type === type);
          if (found >= 0) {
            clearTimeout(timer);
            resolve(messages.splice(found, 1)[0]);
          } else setTimeout(look, 20);
        };
        look();
      });
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await next('connection_ack');
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { statsUpdated { visitCount } }' } }));
    const initial = (await next('next')).payload.data.statsUpdated.visitCount as number;
    await gql(stack.edges[0]!, 'mutation { recordVisit(visitorId: "e2e-visitor") }');
    let pushed = initial;
    while (pushed === initial) pushed = (await next('next')).payload.data.statsUpdated.visitCount;
    expect(pushed).toBe(initial + 1);
    socket.close();
  });
});
