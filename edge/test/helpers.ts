import { vi } from "vitest";

export type Handler = (req: Request) => Response | Promise<Response>;

/** Replaces the worker's outbound fetch (same isolate as the tests) with a fake origin. */
export interface Call {
  url: string;
  method: string;
  headers: Headers;
  body: string;
}

export function fakeOrigin(handler: Handler) {
  const calls: Call[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    const body = req.body && !req.headers.has("upgrade") ? new TextDecoder().decode(await req.clone().arrayBuffer()) : "";
    calls.push({ url: req.url, method: req.method, headers: new Headers(req.headers), body });
    return handler(req);
  });
  return { calls, spy };
}

export const uid = () => crypto.randomUUID().slice(0, 8);

export const PUBLIC_GQL = "public, max-age=0, s-maxage=30, stale-while-revalidate=60";
export const PUBLIC_PAGE = "public, max-age=60, s-maxage=600, stale-while-revalidate=600";
export const IMMUTABLE = "public, max-age=31536000, immutable";

export function ok(body: BodyInit, headers: Record<string, string> = {}, status = 200): Response {
  return new Response(body, { status, headers });
}

export async function sha256Hex(s: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)));
  return [...d].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function hmacHex(secret: string, msg: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(msg)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Polls until `fn` returns true (background work in waitUntil). */
export async function eventually(fn: () => Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
