import { CACHE_HEADER, json, tagIndex, type CacheState, type Env } from "./env";

/** Our metadata on stored copies; never shown to visitors. */
const H_STORED_AT = "x-edge-stored-at";
const H_FRESH = "x-edge-fresh";
const H_SWR = "x-edge-swr";
const H_CC = "x-edge-cc";
const H_VARY = "x-edge-vary";
const INTERNAL_PREFIX = "x-edge-";
/** A stored copy stays usable this long past fresh + stale-while-revalidate (stale-if-error). */
export const STALE_IF_ERROR = 86400;
/** Range on a miss: the full object is fetched and stored only up to this size. */
export const MAX_RANGE_OBJECT = 100 * 1024 * 1024;
/** Bodies up to this size are buffered so that storing completes before answering. */
const BUFFER_LIMIT = 8 * 1024 * 1024;

export interface Policy {
  fresh: number;
  swr: number;
}

export interface Target {
  /** Cache key (a URL). */
  key: string;
  /** Builds the request to send to the origin on a miss (may be called more than once). */
  originRequest: () => Request;
  /** Media: Range served from the full stored object. */
  media: boolean;
}

export function parseCacheControl(value: string | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (value ?? "").split(",")) {
    const [k, v] = part.split("=", 2).map((s) => s.trim());
    if (k) out.set(k.toLowerCase(), (v ?? "").replace(/^"|"$/g, ""));
  }
  return out;
}

function seconds(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/** Whether (and how long) an origin answer may be stored. */
export function storablePolicy(resp: Response): Policy | null {
  if (resp.status !== 200) return null;
  if (resp.headers.has("set-cookie")) return null;
  if ((resp.headers.get("vary") ?? "").includes("*")) return null;
  const cc = parseCacheControl(resp.headers.get("cache-control"));
  if (cc.has("private") || cc.has("no-store") || cc.has("no-cache")) return null;
  if (!cc.has("public") && !cc.has("s-maxage") && !cc.has("max-age")) return null;
  const fresh = seconds(cc.get("s-maxage")) ?? seconds(cc.get("max-age")) ?? 0;
  const swr = seconds(cc.get("stale-while-revalidate")) ?? 0;
  if (fresh + swr <= 0) return null;
  return { fresh, swr };
}

export function tagsOf(resp: Response): string[] {
  return (resp.headers.get("cache-tag") ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
}

/** Removes what visitors must not see. */
export function stripInternal(headers: Headers): void {
  const drop: string[] = [];
  headers.forEach((_, name) => {
    if (name.startsWith(INTERNAL_PREFIX)) drop.push(name);
  });
  for (const name of drop) headers.delete(name);
  headers.delete("cache-tag");
  headers.delete("cf-cache-status");
}

/** An origin (or edge-made) answer as visitors get it. */
export function visitorResponse(resp: Response, state: CacheState, age?: number): Response {
  const headers = new Headers(resp.headers);
  const cc = headers.get(H_CC);
  if (cc !== null) headers.set("cache-control", cc);
  const vary = headers.get(H_VARY);
  if (vary !== null) headers.set("vary", vary);
  stripInternal(headers);
  headers.set(CACHE_HEADER, state);
  if (age !== undefined) headers.set("age", String(Math.max(0, Math.floor(age))));
  else headers.delete("age");
  return new Response(resp.body, { status: resp.status, statusText: resp.statusText, headers, webSocket: resp.webSocket });
}

interface Meta {
  storedAt: number;
  fresh: number;
  swr: number;
}

function metaOf(resp: Response): Meta | null {
  const storedAt = Number(resp.headers.get(H_STORED_AT));
  const fresh = Number(resp.headers.get(H_FRESH));
  const swr = Number(resp.headers.get(H_SWR));
  if (!Number.isFinite(storedAt) || !Number.isFinite(fresh) || !Number.isFinite(swr) || !storedAt) return null;
  return { storedAt, fresh, swr };
}

/** Stores `body` with `headers` (an origin answer) under `key`, recording its tags first. */
export async function store(
  env: Env,
  key: string,
  originHeaders: Headers,
  body: BodyInit | null,
  policy: Policy,
): Promise<void> {
  const headers = new Headers(originHeaders);
  headers.set(H_STORED_AT, String(Date.now()));
  headers.set(H_FRESH, String(policy.fresh));
  headers.set(H_SWR, String(policy.swr));
  if (!headers.has(H_CC)) headers.set(H_CC, originHeaders.get("cache-control") ?? "");
  const vary = headers.get("vary");
  if (vary !== null) {
    headers.set(H_VARY, vary);
    headers.delete("vary");
  }
  headers.delete("age");
  headers.delete("set-cookie");
  headers.set("cache-control", `public, max-age=${policy.fresh + policy.swr + STALE_IF_ERROR}`);
  // Cache-Tag stays on the stored copy: Cloudflare's zone purge by tag finds Cache API entries by it.
  const tags = tagsOf(new Response(null, { headers }));
  // The visitor gets the origin's answer even when it cannot be kept.
  try {
    await tagIndex(env).record(key, tags, Date.now() + (policy.fresh + policy.swr + STALE_IF_ERROR) * 1000);
    await caches.default.put(key, new Response(body, { status: 200, headers }));
  } catch (e) {
    console.warn(`storing ${key} failed: ${String(e)}`);
  }
}

function cleanOriginRequest(req: Request, etag: string | null): Request {
  const headers = new Headers(req.headers);
  for (const h of ["if-none-match", "if-modified-since", "if-match", "if-unmodified-since", "range", "if-range"]) {
    headers.delete(h);
  }
  if (etag) headers.set("if-none-match", etag);
  return new Request(req.url, { method: req.method, headers, body: req.body, redirect: "manual" });
}

export class OriginTimeout extends Error {}

/** fetch() with ORIGIN_TIMEOUT_MS applied to getting the answer's headers. */
export async function originFetch(env: Env, req: Request): Promise<Response> {
  const ms = Number(env.ORIGIN_TIMEOUT_MS) || 3000;
  const ctrl = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ctrl.abort();
      reject(new OriginTimeout(`origin did not answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([fetch(req, { signal: ctrl.signal }), timeout]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

function etagMatches(header: string | null, etag: string | null): boolean {
  if (!header || !etag) return false;
  if (header.trim() === "*") return true;
  const weakless = (t: string) => t.trim().replace(/^W\//, "");
  return header.split(",").some((t) => weakless(t) === weakless(etag));
}

/** 304 for a matching If-None-Match, else the answer itself (HEAD → no body). */
export function conditional(visitor: Request, resp: Response): Response {
  if (resp.status === 200 && etagMatches(visitor.headers.get("if-none-match"), resp.headers.get("etag"))) {
    resp.body?.cancel().catch(() => {});
    const headers = new Headers();
    for (const h of ["etag", "cache-control", "age", CACHE_HEADER, "vary", "expires", "last-modified"]) {
      const v = resp.headers.get(h);
      if (v !== null) headers.set(h, v);
    }
    return new Response(null, { status: 304, headers });
  }
  if (visitor.method === "HEAD" && resp.body) {
    resp.body.cancel().catch(() => {});
    return new Response(null, { status: resp.status, statusText: resp.statusText, headers: resp.headers });
  }
  return resp;
}

/** Serves a stored copy (full or ranged) as `state`. */
async function serveStored(visitor: Request, target: Target, stored: Response, state: CacheState, age: number): Promise<Response> {
  const range = target.media && visitor.method === "GET" ? visitor.headers.get("range") : null;
  if (range && !etagMatches(visitor.headers.get("if-none-match"), stored.headers.get("etag"))) {
    const ranged = await caches.default.match(new Request(target.key, { headers: { range } }));
    if (ranged && (ranged.status === 206 || ranged.status === 416)) {
      stored.body?.cancel().catch(() => {});
      return visitorResponse(ranged, state, age);
    }
    ranged?.body?.cancel().catch(() => {});
    // Range not honoured by the Cache API: answer the full object (allowed by HTTP).
  }
  return conditional(visitor, visitorResponse(stored, state, age));
}

const inflight = new Map<string, Promise<void>>();

/** Refreshes a stored copy after a 304 from the origin. */
async function refreshAfter304(env: Env, key: string, notModified: Response): Promise<Response | null> {
  const current = await caches.default.match(key);
  if (!current) return null;
  const headers = new Headers(current.headers);
  const cc = notModified.headers.get("cache-control");
  if (cc) headers.set(H_CC, cc);
  for (const h of ["etag", "cache-tag", "expires", "last-modified"]) {
    const v = notModified.headers.get(h);
    if (v !== null) headers.set(h, v);
  }
  const policy = storablePolicy(new Response(null, { headers: { "cache-control": headers.get(H_CC) ?? "" } }));
  const body = await current.arrayBuffer();
  if (!policy) {
    await caches.default.delete(key);
    return new Response(body, { status: 200, headers });
  }
  await store(env, key, headers, body, policy);
  return (await caches.default.match(key)) ?? new Response(body, { status: 200, headers });
}

function revalidate(env: Env, target: Target, etag: string | null): Promise<void> {
  const running = inflight.get(target.key);
  if (running) return running;
  const p = (async () => {
    try {
      const resp = await originFetch(env, cleanOriginRequest(target.originRequest(), etag));
      if (resp.status === 304) {
        const refreshed = await refreshAfter304(env, target.key, resp);
        await refreshed?.body?.cancel();
        return;
      }
      if (resp.status >= 500) {
        await resp.body?.cancel();
        return; // keep serving the stored copy
      }
      const policy = storablePolicy(resp);
      if (!policy) {
        await resp.body?.cancel();
        await caches.default.delete(target.key);
        return;
      }
      await store(env, target.key, resp.headers, await resp.arrayBuffer(), policy);
    } catch (e) {
      console.warn(`revalidation of ${target.key} failed: ${String(e)}`);
    }
  })().finally(() => inflight.delete(target.key));
  inflight.set(target.key, p);
  return p;
}

/** The edge cache in front of the origin for one eligible request. */
export async function cachedFetch(visitor: Request, env: Env, ctx: ExecutionContext, target: Target): Promise<Response> {
  const stored = await caches.default.match(target.key);
  const meta = stored ? metaOf(stored) : null;
  const now = Date.now();
  const age = meta ? (now - meta.storedAt) / 1000 : Infinity;
  if (stored && meta) {
    if (age < meta.fresh) return serveStored(visitor, target, stored, "HIT", age);
    if (age < meta.fresh + meta.swr) {
      ctx.waitUntil(revalidate(env, target, stored.headers.get("etag")));
      return serveStored(visitor, target, stored, "STALE", age);
    }
  }
  const usableStale = stored && meta && age < meta.fresh + meta.swr + STALE_IF_ERROR ? stored : null;
  if (stored && !usableStale) stored.body?.cancel().catch(() => {});

  const isHead = visitor.method === "HEAD";
  const plain = !isHead && !visitor.headers.has("range");
  // A burst of identical requests asks the origin once: the others wait for the first
  // one's answer and take it from the cache.
  const first = fetching.get(target.key);
  if (first && plain) {
    await Promise.race([first, new Promise((resolve) => setTimeout(resolve, waitLimit(env)))]);
    const copy = await caches.default.match(target.key);
    const copyMeta = copy ? metaOf(copy) : null;
    const copyAge = copyMeta ? (Date.now() - copyMeta.storedAt) / 1000 : Infinity;
    if (copy && copyMeta && copyAge < copyMeta.fresh) {
      usableStale?.body?.cancel().catch(() => {});
      return serveStored(visitor, target, copy, "HIT", copyAge);
    }
    copy?.body?.cancel().catch(() => {});
  }
  if (!plain || fetching.has(target.key)) return fromOrigin(visitor, env, ctx, target, usableStale, age);
  // The first request's work goes on even if its visitor leaves (waitUntil): the others
  // wait for it, at most a little longer than the origin may take.
  const work = fromOrigin(visitor, env, ctx, target, usableStale, age);
  const settled = work.then(
    () => undefined,
    () => undefined,
  );
  fetching.set(target.key, settled);
  ctx.waitUntil(settled.finally(() => fetching.delete(target.key)));
  return work;
}

/** How long a request waits for another one's origin fetch of the same key. */
function waitLimit(env: Env): number {
  return 2 * (Number(env.ORIGIN_TIMEOUT_MS) || 3000) + 1000;
}

/** Requests for keys the origin is being asked for now (by the first of them). */
const fetching = new Map<string, Promise<void>>();

/** Asks the origin (conditionally when there is a stale copy) and stores what may be kept. */
async function fromOrigin(
  visitor: Request,
  env: Env,
  ctx: ExecutionContext,
  target: Target,
  usableStale: Response | null,
  age: number,
): Promise<Response> {
  const serveStale = () => serveStored(visitor, target, usableStale!, "STALE", age);
  const isHead = visitor.method === "HEAD";
  let resp: Response;
  try {
    const base = target.originRequest();
    const req = cleanOriginRequest(
      isHead && !usableStale ? new Request(base.url, { method: "HEAD", headers: base.headers, redirect: "manual" }) : base,
      usableStale?.headers.get("etag") ?? null,
    );
    resp = await originFetch(env, req);
  } catch (e) {
    if (usableStale) return serveStale();
    const timeout = e instanceof OriginTimeout;
    return visitorResponse(
      json({ error: timeout ? "origin timeout" : "origin unreachable" }, timeout ? 504 : 502),
      "MISS",
    );
  }
  if (resp.status >= 500 && usableStale) {
    resp.body?.cancel().catch(() => {});
    return serveStale();
  }
  if (resp.status === 304 && usableStale) {
    usableStale.body?.cancel().catch(() => {});
    const refreshed = await refreshAfter304(env, target.key, resp);
    if (refreshed) return serveStored(visitor, target, refreshed, "MISS", 0);
    // The copy vanished meanwhile: ask again unconditionally.
    resp = await originFetch(env, cleanOriginRequest(target.originRequest(), null));
  } else {
    usableStale?.body?.cancel().catch(() => {});
  }
  if (isHead) return visitorResponse(resp, "MISS");

  const policy = storablePolicy(resp);
  if (!policy) {
    // What may no longer be kept must not come back as a stale copy either.
    if (usableStale) await caches.default.delete(target.key).catch(() => false);
    return conditional(visitor, visitorResponse(resp, "BYPASS"));
  }

  const length = Number(resp.headers.get("content-length") ?? NaN);
  const range = target.media ? visitor.headers.get("range") : null;
  if (range) {
    if (!(length <= MAX_RANGE_OBJECT)) {
      // Too big (or unknown): pass the Range through, uncached.
      resp.body?.cancel().catch(() => {});
      return visitorResponse(await fetch(new Request(target.originRequest(), { redirect: "manual" })), "BYPASS");
    }
    await store(env, target.key, resp.headers, resp.body, policy);
    const stored2 = await caches.default.match(target.key);
    if (stored2) return serveStored(visitor, target, stored2, "MISS", 0);
    return visitorResponse(await fetch(target.originRequest()), "BYPASS");
  }
  if (length <= BUFFER_LIMIT || (!Number.isFinite(length) && !target.media)) {
    const body = await resp.arrayBuffer();
    await store(env, target.key, resp.headers, body, policy);
    return conditional(visitor, visitorResponse(new Response(body, resp), "MISS", 0));
  }
  const [mine, theirs] = resp.body!.tee();
  ctx.waitUntil(store(env, target.key, resp.headers, mine, policy).catch((e) => console.warn(`store failed: ${String(e)}`)));
  return conditional(visitor, visitorResponse(new Response(theirs, resp), "MISS", 0));
}
