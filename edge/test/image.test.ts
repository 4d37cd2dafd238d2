import { SELF } from "cloudflare:test";
import { PhotonImage } from "@cf-wasm/photon/workerd";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readDimensions, signImagePath } from "../src/image";
import { IMMUTABLE, fakeOrigin, hmacHex, ok, uid } from "./helpers";

const E = "https://edge.test";
afterEach(() => vi.restoreAllMocks());

function jpeg(width: number, height: number): Uint8Array {
  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0; i < pixels.length; i += 4) {
    const p = i / 4;
    pixels[i] = (p % width) & 0xff;
    pixels[i + 1] = Math.floor(p / width) & 0xff;
    pixels[i + 2] = 128;
    pixels[i + 3] = 255;
  }
  const img = new PhotonImage(pixels, width, height);
  try {
    return img.get_bytes_jpeg(90);
  } finally {
    img.free();
  }
}

/** A JPEG header (SOI + SOF0) declaring the given size, followed by nothing decodable. */
function fakeJpegHeader(width: number, height: number): Uint8Array {
  return new Uint8Array([
    0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03,
    0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x12, 0x34,
  ]);
}

function mediaOrigin(files: Record<string, Uint8Array>) {
  return fakeOrigin((req) => {
    const key = new URL(req.url).pathname.replace(/^\/media\//, "");
    const f = files[key];
    return f
      ? ok(f, { "content-type": "image/jpeg", "cache-control": IMMUTABLE, "cache-tag": `media,media:${key.split("/").pop()!.split(".")[0]}`, "content-length": String(f.length), etag: '"src"' })
      : ok("not found", { "cache-control": "no-store" }, 404);
  });
}

const imgUrl = async (width: number, key: string, secret = "test-secret") => `${E}/img/${await signImagePath(secret, width, key)}/${width}/${key}`;

describe("signed image URLs", () => {
  it("refuses a bad signature (403) and widths not allowed (400)", async () => {
    const key = `ab/${uid()}.jpg`;
    const { calls } = mediaOrigin({ [key]: jpeg(900, 600) });
    expect((await SELF.fetch(await imgUrl(320, key, "wrong"))).status).toBe(403);
    expect((await SELF.fetch(`${E}/img/AAAA/320/${key}`)).status).toBe(403);
    expect((await SELF.fetch(await imgUrl(500, key))).status).toBe(400);
    expect((await SELF.fetch(`${E}/img/x/320/../etc/passwd`)).status).toBeGreaterThanOrEqual(400);
    const sig = await signImagePath("test-secret", 320, `ab/../${key}`);
    // URL parsing collapses the dot segments: the signature no longer matches.
    expect((await SELF.fetch(`${E}/img/${sig}/320/ab/%2E%2E/${key}`)).status).toBe(403);
    expect(calls).toHaveLength(0);
  });

  it("a purge of the source file's tag forgets its resized copies", async () => {
    const hash = uid();
    const key = `ab/${hash}.jpg`;
    const { calls } = mediaOrigin({ [key]: jpeg(900, 600) });
    await (await SELF.fetch(await imgUrl(320, key))).arrayBuffer();
    const body = JSON.stringify({ tags: [`media:${hash}`] });
    const t = Math.floor(Date.now() / 1000);
    const purged = await SELF.fetch(`${E}/__edge/purge`, {
      method: "POST",
      body,
      headers: { "x-vitrin-signature": `t=${t},v1=${await hmacHex("test-secret", `${t}.${body}`)}` },
    });
    expect(await purged.json()).toMatchObject({ purged: 2 });
    const again = await SELF.fetch(await imgUrl(320, key));
    expect(again.headers.get("x-vitrin-cache")).toBe("MISS");
    await again.arrayBuffer();
    expect(calls).toHaveLength(2);
  });

  it("resizes to a JPEG of the requested width and caches it immutably", async () => {
    const key = `ab/${uid()}.jpg`;
    const { calls } = mediaOrigin({ [key]: jpeg(900, 600) });
    const r = await SELF.fetch(await imgUrl(480, key));
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("image/jpeg");
    expect(r.headers.get("cache-control")).toBe(IMMUTABLE);
    expect(r.headers.get("x-vitrin-cache")).toBe("MISS");
    expect(r.headers.get("cache-tag")).toBeNull();
    const etag = r.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(readDimensions(new Uint8Array(await r.arrayBuffer()))).toEqual({ width: 480, height: 320, format: "jpeg" });
    const again = await SELF.fetch(await imgUrl(480, key));
    expect(again.headers.get("x-vitrin-cache")).toBe("HIT");
    await again.arrayBuffer();
    const cond = await SELF.fetch(await imgUrl(480, key), { headers: { "if-none-match": etag! } });
    expect(cond.status).toBe(304);
    expect(calls).toHaveLength(1);
  });

  it("answers a source no wider than the width unchanged", async () => {
    const key = `ab/${uid()}.jpg`;
    const src = jpeg(300, 200);
    mediaOrigin({ [key]: src });
    const r = await SELF.fetch(await imgUrl(320, key));
    expect(r.status).toBe(200);
    expect(new Uint8Array(await r.arrayBuffer())).toEqual(src);
  });

  it("refuses sources over 4 MP from the header, and unreadable headers", async () => {
    const big = `ab/${uid()}.jpg`;
    const junk = `ab/${uid()}.jpg`;
    mediaOrigin({ [big]: fakeJpegHeader(3000, 2000), [junk]: new TextEncoder().encode("not an image at all") });
    const r = await SELF.fetch(await imgUrl(800, big));
    expect(r.status).toBe(422);
    expect(await r.json()).toEqual({ error: "source too large" });
    expect((await SELF.fetch(await imgUrl(800, junk))).status).toBe(422);
  });

  it("answers 422 for a corrupt JPEG, and later resizes still work", async () => {
    const bad = `ab/${uid()}.jpg`;
    const good = `ab/${uid()}.jpg`;
    const good2 = `ab/${uid()}.jpg`;
    const full = jpeg(1000, 500);
    const corrupt = full.slice();
    corrupt.fill(0x55, 700); // header intact, entropy-coded data garbage
    mediaOrigin({ [bad]: corrupt, [good]: jpeg(1000, 500), [good2]: jpeg(700, 700), [`ab/t.jpg`]: fakeJpegHeader(1000, 500) });
    const r = await SELF.fetch(await imgUrl(640, bad));
    expect(r.status).toBe(422);
    expect(await r.json()).toEqual({ error: "corrupt image" });
    const t = await SELF.fetch(await imgUrl(640, "ab/t.jpg"));
    expect(t.status).toBe(422);
    await t.text();
    for (const [key, w, h] of [[good, 640, 320], [good2, 320, 320]] as const) {
      const ok2 = await SELF.fetch(await imgUrl(w, key));
      expect(ok2.status).toBe(200);
      expect(readDimensions(new Uint8Array(await ok2.arrayBuffer()))).toEqual({ width: w, height: h, format: "jpeg" });
    }
  });

  it("reads PNG and WebP headers", () => {
    const png = new Uint8Array(32);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 3, 0x20, 0, 0, 2, 0x58]);
    expect(readDimensions(png)).toEqual({ width: 800, height: 600, format: "png" });
    const vp8x = new Uint8Array(32);
    vp8x.set(new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8X"), 0);
    vp8x.set([0x1f, 0x03, 0x00, 0x57, 0x02, 0x00], 24); // 800 x 600
    expect(readDimensions(vp8x)).toEqual({ width: 800, height: 600, format: "webp" });
  });
});
