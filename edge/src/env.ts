import type { TagIndex } from "./tag-index";

export interface Env {
  /** Origin base URL, e.g. http://127.0.0.1:8080 (no trailing slash needed). */
  ORIGIN: string;
  /** Milliseconds to wait for the origin's headers on cacheable requests. */
  ORIGIN_TIMEOUT_MS: string;
  /** Shared with the origin: purge signatures and signed image URLs. */
  VITRIN_EDGE_SECRET?: string;
  /** Optional: with CF_API_TOKEN, purges also call Cloudflare's zone purge API. */
  CF_ZONE_ID?: string;
  CF_API_TOKEN?: string;
  TAG_INDEX: DurableObjectNamespace<TagIndex>;
}

export type CacheState = "HIT" | "MISS" | "STALE" | "BYPASS";

export const CACHE_HEADER = "x-vitrin-cache";

export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set("content-type", "application/json");
  if (!h.has("cache-control")) h.set("cache-control", "private, no-store");
  return new Response(JSON.stringify(body), { status, headers: h });
}

export function tagIndex(env: Env): DurableObjectStub<TagIndex> {
  return env.TAG_INDEX.get(env.TAG_INDEX.idFromName("tags"));
}

const enc = new TextEncoder();

export async function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

/** Constant-time verification (WebCrypto's HMAC verify). */
export async function hmacVerify(secret: string, mac: Uint8Array, message: string): Promise<boolean> {
  return crypto.subtle.verify("HMAC", await hmacKey(secret), mac, enc.encode(message));
}

export async function hmacSign(secret: string, message: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), enc.encode(message)));
}

export async function sha256Hex(text: string | ArrayBuffer | Uint8Array): Promise<string> {
  const data = typeof text === "string" ? enc.encode(text) : text;
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", data)));
}

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

export function fromHex(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function base64UrlEncode(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function base64UrlDecode(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  try {
    const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** Reads a request body, giving up (null) past `limit` bytes. */
export async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array | null> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}
