import { PhotonImage, SamplingFilter, resize } from "@cf-wasm/photon/workerd";
import { cachedFetch, conditional, store, storablePolicy, visitorResponse } from "./cache";
import { base64UrlDecode, base64UrlEncode, hmacSign, hmacVerify, json, sha256Hex, type Env } from "./env";

export const WIDTHS = [320, 480, 640, 800] as const;
export const MAX_PIXELS = 4_000_000;
const IMMUTABLE = "public, max-age=31536000, immutable";
const KEY_RE = /^[A-Za-z0-9._/-]+$/;

export interface Dimensions {
  width: number;
  height: number;
  format: "jpeg" | "png" | "webp";
}

const u16be = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u32be = (b: Uint8Array, i: number) => ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;
const u24le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
const ascii = (b: Uint8Array, i: number, n: number) => String.fromCharCode(...b.subarray(i, i + n));

/** Reads an image's dimensions from its header without decoding it. */
export function readDimensions(b: Uint8Array): Dimensions | null {
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 4 <= b.length) {
      if (b[i] !== 0xff) return null;
      let marker = b[i + 1]!;
      while (marker === 0xff && i + 2 < b.length) marker = b[++i + 1]!; // fill bytes
      i += 2;
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
      if (marker === 0xd9 || marker === 0xda) return null; // end / scan before any SOF
      if (i + 2 > b.length) return null;
      const len = u16be(b, i);
      if (len < 2) return null;
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        // SOF: only baseline/extended/progressive Huffman (C0–C2) are decodable.
        if (marker > 0xc2 || i + 7 > b.length) return null;
        const height = u16be(b, i + 3);
        const width = u16be(b, i + 5);
        return width && height ? { width, height, format: "jpeg" } : null;
      }
      i += len;
    }
    return null;
  }
  if (b.length >= 24 && u32be(b, 0) === 0x89504e47 && u32be(b, 4) === 0x0d0a1a0a && ascii(b, 12, 4) === "IHDR") {
    const width = u32be(b, 16);
    const height = u32be(b, 20);
    return width && height ? { width, height, format: "png" } : null;
  }
  if (b.length >= 30 && ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 4) === "WEBP") {
    const chunk = ascii(b, 12, 4);
    if (chunk === "VP8 " && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) {
      return { width: (b[26]! | (b[27]! << 8)) & 0x3fff, height: (b[28]! | (b[29]! << 8)) & 0x3fff, format: "webp" };
    }
    if (chunk === "VP8L" && b[20] === 0x2f) {
      const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
      return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff), format: "webp" };
    }
    if (chunk === "VP8X") return { width: 1 + u24le(b, 24), height: 1 + u24le(b, 27), format: "webp" };
  }
  return null;
}

export async function signImagePath(secret: string, width: number, key: string): Promise<string> {
  return base64UrlEncode(await hmacSign(secret, `${width}/${key}`));
}

export class ResizeTrap extends Error {}

/** Decodes, resizes and re-encodes as JPEG. Throws ResizeTrap when photon traps (corrupt input). */
export function resizeJpeg(source: Uint8Array, width: number, dims: Dimensions): Uint8Array {
  const height = Math.max(1, Math.round((dims.height * width) / dims.width));
  let img: PhotonImage | undefined;
  let out: PhotonImage | undefined;
  try {
    img = PhotonImage.new_from_byteslice(source);
    out = resize(img, width, height, SamplingFilter.Triangle);
    return out.get_bytes_jpeg(80);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) throw new ResizeTrap(String(e));
    throw e;
  } finally {
    freeQuietly(out);
    freeQuietly(img);
  }
}

function freeQuietly(img: PhotonImage | undefined): void {
  try {
    img?.free();
  } catch {
    /* already poisoned or freed */
  }
}

/** The tags of a stored file and of every copy made from it: the origin forgets one
 * file by `media:{content hash}` when it is deleted. */
export function mediaTags(key: string): string[] {
  const name = key.split("/").pop() ?? "";
  return ["media", `media:${name.split(".")[0]}`];
}

/** GET /img/{sig}/{width}/{key} */
export async function handleImage(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") return json({ error: "method not allowed" }, 405);
  const url = new URL(request.url);
  const m = /^\/img\/([^/]+)\/([^/]+)\/(.+)$/.exec(url.pathname);
  if (!m) return json({ error: "expected /img/{sig}/{width}/{key}" }, 400);
  const [, sig, widthText, key] = m as unknown as [string, string, string, string];
  const width = Number(widthText);
  if (!(WIDTHS as readonly number[]).includes(width) || String(width) !== widthText) {
    return json({ error: `width must be one of ${WIDTHS.join(", ")}` }, 400);
  }
  if (!KEY_RE.test(key) || key.split("/").some((s) => s === "" || s === "." || s === "..")) {
    return json({ error: "bad media key" }, 400);
  }
  const secret = env.VITRIN_EDGE_SECRET;
  if (!secret) return json({ error: "image resizing is disabled: VITRIN_EDGE_SECRET is not set" }, 503);
  const mac = base64UrlDecode(sig);
  if (!mac || mac.length !== 32 || !(await hmacVerify(secret, mac, `${width}/${key}`))) {
    return json({ error: "bad signature" }, 403);
  }

  const cacheKey = `https://edge.cache/img/${width}/${key}`;
  const hit = await caches.default.match(cacheKey);
  if (hit) return conditional(request, visitorResponse(hit, "HIT", ageOf(hit)));

  // The source goes through the same edge cache as /media/ requests.
  const sourceUrl = new URL(env.ORIGIN);
  sourceUrl.pathname = `/media/${key}`;
  sourceUrl.search = "";
  const sourceReq = new Request(sourceUrl, { method: "GET" });
  const source = await cachedFetch(sourceReq, env, ctx, {
    key: `https://edge.cache/media/${key}`,
    originRequest: () => new Request(sourceUrl, { method: "GET", redirect: "manual" }),
    media: true,
  });
  if (source.status !== 200) {
    source.body?.cancel().catch(() => {});
    return json({ error: "source not available", status: source.status }, source.status === 404 ? 404 : 502);
  }
  const bytes = new Uint8Array(await source.arrayBuffer());
  const dims = readDimensions(bytes);
  if (!dims) return json({ error: "unreadable image header" }, 422);
  if (dims.width * dims.height > MAX_PIXELS) return json({ error: "source too large" }, 422);

  let body: Uint8Array;
  let contentType: string;
  if (dims.width <= width) {
    body = bytes;
    contentType = source.headers.get("content-type") ?? `image/${dims.format}`;
  } else {
    try {
      body = resizeJpeg(bytes, width, dims);
      contentType = "image/jpeg";
    } catch (e) {
      if (e instanceof ResizeTrap) return json({ error: "corrupt image" }, 422);
      // Any other failure: answer the source variant itself, uncached.
      console.warn(`resize of ${key} failed: ${String(e)}`);
      const headers = new Headers(source.headers);
      headers.set("cache-control", IMMUTABLE);
      return conditional(request, visitorResponse(new Response(bytes, { status: 200, headers }), "BYPASS"));
    }
  }
  const headers = new Headers({
    "content-type": contentType,
    "cache-control": IMMUTABLE,
    etag: `"${(await sha256Hex(body)).slice(0, 32)}"`,
  });
  headers.set("cache-tag", mediaTags(key).join(","));
  const policy = storablePolicy(new Response(null, { headers }))!;
  await store(env, cacheKey, headers, body, policy);
  return conditional(request, visitorResponse(new Response(body, { status: 200, headers }), "MISS", 0));
}

function ageOf(resp: Response): number {
  const at = Number(resp.headers.get("x-edge-stored-at"));
  return at ? (Date.now() - at) / 1000 : 0;
}
