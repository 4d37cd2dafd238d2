import { SELF, env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Env } from "../src/env";
import { IMMUTABLE, PUBLIC_GQL, PUBLIC_PAGE, eventually, fakeOrigin, ok, uid } from "./helpers";

const E = "https://edge.test";
afterEach(() => vi.restoreAllMocks());

describe("routing", () => {
  it("answers /__edge/health itself", async () => {
    const { calls } = fakeOrigin(() => ok("no"));
    const r = await SELF.fetch(`${E}/__edge/health`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true });
    expect(calls).toHaveLength(0);
  });

  it("proxies to ORIGIN + path + query and caches public answers", async () => {
    const path = `/urunler/${uid()}?sayfa=2`;
    const { calls } = fakeOrigin(() => ok("sayfa", { "cache-control": PUBLIC_PAGE, "cache-tag": "catalog", etag: '"p1"' }));
    const a = await SELF.fetch(E + path);
    expect(a.headers.get("x-vitrin-cache")).toBe("MISS");
    expect(await a.text()).toBe("sayfa");
    expect(calls[0]!.url).toBe(`http://origin.test${path}`);
    expect(calls[0]!.headers.get("x-forwarded-host")).toBe("edge.test");
    const b = await SELF.fetch(E + path);
    expect(b.headers.get("x-vitrin-cache")).toBe("HIT");
    expect(b.headers.get("age")).toMatch(/^\d+$/);
    expect(b.headers.get("cache-control")).toBe(PUBLIC_PAGE);
    expect(b.headers.get("etag")).toBe('"p1"');
    expect(await b.text()).toBe("sayfa");
    expect(calls).toHaveLength(1);
    for (const r of [a, b]) {
      expect(r.headers.get("cache-tag")).toBeNull();
      r.headers.forEach((_, name) => expect(name.startsWith("x-edge-")).toBe(false));
    }
  });

  it("asks the origin once for a burst of identical requests", async () => {
    const path = `/urunler/${uid()}`;
    const { calls } = fakeOrigin(async () => {
      await new Promise((r) => setTimeout(r, 50));
      return ok("sayfa", { "cache-control": PUBLIC_PAGE });
    });
    const answers = await Promise.all(Array.from({ length: 20 }, () => SELF.fetch(E + path)));
    expect(await Promise.all(answers.map((a) => a.text()))).toEqual(Array(20).fill("sayfa"));
    expect(calls).toHaveLength(1);
    const labels = answers.map((a) => a.headers.get("x-vitrin-cache"));
    expect(labels.filter((l) => l === "MISS")).toHaveLength(1);
    expect(labels.filter((l) => l === "HIT")).toHaveLength(19);
  });

  it("a burst whose answer may not be kept asks the origin for each request", async () => {
    const path = `/hesap/${uid()}`;
    const { calls } = fakeOrigin(async () => {
      await new Promise((r) => setTimeout(r, 20));
      return ok("benim", { "cache-control": "private, no-store" });
    });
    const answers = await Promise.all(Array.from({ length: 5 }, () => SELF.fetch(E + path)));
    expect(answers.every((a) => a.headers.get("x-vitrin-cache") === "BYPASS")).toBe(true);
    expect(calls).toHaveLength(5);
  });

  it("links with tracking parameters share one copy", async () => {
    const path = `/urun/${uid()}`;
    const { calls } = fakeOrigin(() => ok("urun", { "cache-control": PUBLIC_PAGE }));
    for (const query of ["?lang=en&b=1", "?b=1&lang=en&utm_source=whatsapp&utm_medium=share", "?fbclid=x&b=1&lang=en"]) {
      await (await SELF.fetch(E + path + query)).text();
    }
    expect(calls).toHaveLength(1);
  });

  it("tells the origin only the address Cloudflare measured", async () => {
    const { calls } = fakeOrigin(() => ok("x", { "cache-control": "private, no-store" }));
    await (await SELF.fetch(`${E}/hesap/${uid()}`, { headers: { "x-forwarded-for": "1.2.3.4", "x-real-ip": "1.2.3.4", "cf-connecting-ip": "5.6.7.8" } })).text();
    expect(calls[0]!.headers.get("x-forwarded-for")).toBe("5.6.7.8");
    expect(calls[0]!.headers.get("x-real-ip")).toBeNull();
  });

  it("HEAD is served from a stored copy without a body", async () => {
    const path = `/sayfa/${uid()}`;
    const { calls } = fakeOrigin(() => ok("gövde", { "cache-control": PUBLIC_PAGE }));
    await (await SELF.fetch(E + path)).text();
    const h = await SELF.fetch(E + path, { method: "HEAD" });
    expect(h.headers.get("x-vitrin-cache")).toBe("HIT");
    expect(await h.text()).toBe("");
    expect(calls).toHaveLength(1);
  });

  it("passes websockets through to the origin unchanged", async () => {
    const { calls } = fakeOrigin(() => {
      const pair = new WebSocketPair();
      pair[1].accept();
      pair[1].addEventListener("message", (e) => pair[1].send(`echo:${e.data}`));
      pair[1].addEventListener("close", () => pair[1].close(1000, "bye"));
      return new Response(null, { status: 101, webSocket: pair[0], headers: { "sec-websocket-protocol": "graphql-transport-ws" } });
    });
    const r = await SELF.fetch(`${E}/graphql/ws`, {
      headers: { upgrade: "websocket", "sec-websocket-protocol": "graphql-transport-ws", cookie: "vitrin_session=abc" },
    });
    expect(r.status).toBe(101);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe("http://origin.test/graphql/ws");
    expect(calls[0]!.headers.get("upgrade")).toBe("websocket");
    expect(calls[0]!.headers.get("sec-websocket-protocol")).toBe("graphql-transport-ws");
    expect(calls[0]!.headers.get("cookie")).toBe("vitrin_session=abc");
    const ws = r.webSocket!;
    ws.accept();
    const got = new Promise<string>((res) => ws.addEventListener("message", (e) => res(String(e.data))));
    ws.send("ping");
    expect(await got).toBe("echo:ping");
    const closed = new Promise<number>((res) => ws.addEventListener("close", (e) => res(e.code)));
    ws.close(1000, "done");
    expect(await closed).toBe(1000);
  });
});

describe("what bypasses", () => {
  const twice = async (path: string, init: RequestInit, answer: () => Response) => {
    const { calls } = fakeOrigin(answer);
    const a = await SELF.fetch(E + path, init);
    await a.text();
    const b = await SELF.fetch(E + path, init);
    await b.text();
    return { a, b, calls };
  };

  it("a session or cart cookie", async () => {
    for (const cookie of ["vitrin_session=s", "x=1; __Host-vitrin_cart=c", "vitrin_cart=c"]) {
      const { a, b, calls } = await twice(`/p/${uid()}`, { headers: { cookie } }, () => ok("x", { "cache-control": PUBLIC_PAGE }));
      expect([a.headers.get("x-vitrin-cache"), b.headers.get("x-vitrin-cache")]).toEqual(["BYPASS", "BYPASS"]);
      expect(calls).toHaveLength(2);
      expect(calls[0]!.headers.get("cookie")).toBe(cookie);
      vi.restoreAllMocks();
    }
  });

  it("but other cookies are cached", async () => {
    const { b, calls } = await twice(`/p/${uid()}`, { headers: { cookie: "_ga=1" } }, () => ok("x", { "cache-control": PUBLIC_PAGE }));
    expect(b.headers.get("x-vitrin-cache")).toBe("HIT");
    expect(calls).toHaveLength(1);
  });

  it("an Authorization header", async () => {
    const { a, b, calls } = await twice(`/p/${uid()}`, { headers: { authorization: "Bearer t" } }, () =>
      ok("x", { "cache-control": PUBLIC_PAGE }),
    );
    expect([a.headers.get("x-vitrin-cache"), b.headers.get("x-vitrin-cache")]).toEqual(["BYPASS", "BYPASS"]);
    expect(calls).toHaveLength(2);
  });

  for (const [name, headers, status] of [
    ["Cache-Control private", { "cache-control": "private, no-store" }, 200],
    ["Cache-Control no-cache", { "cache-control": "public, no-cache" }, 200],
    ["no Cache-Control", {}, 200],
    ["Set-Cookie", { "cache-control": PUBLIC_PAGE, "set-cookie": "vitrin_cart=1" }, 200],
    ["a 404", { "cache-control": PUBLIC_PAGE }, 404],
  ] as const) {
    it(`an answer with ${name} is never stored`, async () => {
      const { b, calls } = await twice(`/p/${uid()}`, {}, () => ok("x", { ...headers }, status));
      expect(b.headers.get("x-vitrin-cache")).toBe("BYPASS");
      expect(calls).toHaveLength(2);
    });
  }

  it("other methods", async () => {
    const { a, calls } = await twice(`/iletisim`, { method: "POST", body: "a=1" }, () => ok("x", { "cache-control": PUBLIC_PAGE }));
    expect(a.headers.get("x-vitrin-cache")).toBe("BYPASS");
    expect(calls).toHaveLength(2);
    expect(calls[0]!.body).toBe("a=1");
  });
});

describe("freshness", () => {
  it("serves stale while revalidating with If-None-Match, then the new copy", async () => {
    const path = `/stats/${uid()}`;
    const t0 = Date.now();
    const now = vi.spyOn(Date, "now").mockReturnValue(t0);
    let version = 1;
    const { calls } = fakeOrigin(() => ok(`v${version}`, { "cache-control": PUBLIC_GQL, etag: `"v${version}"` }));
    expect(await (await SELF.fetch(E + path)).text()).toBe("v1");
    now.mockReturnValue(t0 + 10_000);
    const hit = await SELF.fetch(E + path);
    expect(hit.headers.get("x-vitrin-cache")).toBe("HIT");
    expect(hit.headers.get("age")).toBe("10");
    await hit.text();
    version = 2;
    now.mockReturnValue(t0 + 40_000);
    const stale = await SELF.fetch(E + path);
    expect(stale.headers.get("x-vitrin-cache")).toBe("STALE");
    expect(await stale.text()).toBe("v1");
    await eventually(async () => calls.length === 2);
    expect(calls[1]!.headers.get("if-none-match")).toBe('"v1"');
    await eventually(async () => {
      const r = await SELF.fetch(E + path);
      return r.headers.get("x-vitrin-cache") === "HIT" && (await r.text()) === "v2";
    });
  });

  it("a 304 on revalidation refreshes the stored copy", async () => {
    const path = `/stats/${uid()}`;
    const t0 = Date.now();
    const now = vi.spyOn(Date, "now").mockReturnValue(t0);
    const { calls } = fakeOrigin((req) =>
      req.headers.get("if-none-match") === '"e"'
        ? new Response(null, { status: 304, headers: { etag: '"e"', "cache-control": PUBLIC_GQL } })
        : ok("body", { "cache-control": PUBLIC_GQL, etag: '"e"' }),
    );
    await (await SELF.fetch(E + path)).text();
    now.mockReturnValue(t0 + 200_000); // past fresh + swr
    const r = await SELF.fetch(E + path);
    expect(r.status).toBe(200);
    expect(r.headers.get("x-vitrin-cache")).toBe("MISS");
    expect(await r.text()).toBe("body");
    expect(calls[1]!.headers.get("if-none-match")).toBe('"e"');
    now.mockReturnValue(t0 + 210_000);
    const again = await SELF.fetch(E + path);
    expect(again.headers.get("x-vitrin-cache")).toBe("HIT");
    expect(again.headers.get("age")).toBe("10");
  });

  it("serves stale when the origin fails or is too slow, and 504 with nothing stored", async () => {
    const path = `/stats/${uid()}`;
    const t0 = Date.now();
    const now = vi.spyOn(Date, "now").mockReturnValue(t0);
    let mode: "ok" | "500" | "down" | "slow" = "ok";
    fakeOrigin(async (req) => {
      if (mode === "500") return ok("boom", {}, 500);
      if (mode === "down") throw new TypeError("connection refused");
      if (mode === "slow")
        return new Promise<Response>((_, reject) => req.signal.addEventListener("abort", () => reject(new Error("aborted"))));
      return ok("good", { "cache-control": PUBLIC_GQL });
    });
    await (await SELF.fetch(E + path)).text();
    now.mockReturnValue(t0 + 3600_000); // an hour later: past swr, within a day
    for (const m of ["500", "down", "slow"] as const) {
      mode = m;
      const r = await SELF.fetch(E + path);
      expect(r.headers.get("x-vitrin-cache"), m).toBe("STALE");
      expect(await r.text()).toBe("good");
    }
    now.mockRestore();
    mode = "slow";
    const started = Date.now();
    const r = await SELF.fetch(`${E}/stats/${uid()}`);
    expect(r.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("towards the browser", () => {
  it("answers 304 to a matching If-None-Match", async () => {
    const path = `/p/${uid()}`;
    fakeOrigin(() => ok("x", { "cache-control": PUBLIC_PAGE, etag: '"abc"' }));
    await (await SELF.fetch(E + path)).text();
    const r = await SELF.fetch(E + path, { headers: { "if-none-match": 'W/"zzz", "abc"' } });
    expect(r.status).toBe(304);
    expect(r.headers.get("etag")).toBe('"abc"');
    expect(r.headers.get("cache-control")).toBe(PUBLIC_PAGE);
    expect(r.headers.get("x-vitrin-cache")).toBe("HIT");
  });

  it("serves Range requests for media from the full stored object", async () => {
    const key = `/media/ab/${uid()}.mp4`;
    const bytes = new Uint8Array(1000).map((_, i) => i % 251);
    const { calls } = fakeOrigin(() =>
      ok(bytes, { "cache-control": IMMUTABLE, "cache-tag": "media", "content-length": "1000", "content-type": "video/mp4", etag: '"m"' }),
    );
    const a = await SELF.fetch(E + key, { headers: { range: "bytes=10-19" } });
    expect(a.status).toBe(206);
    expect(a.headers.get("content-range")).toBe("bytes 10-19/1000");
    expect(a.headers.get("x-vitrin-cache")).toBe("MISS");
    expect([...new Uint8Array(await a.arrayBuffer())]).toEqual([...bytes.slice(10, 20)]);
    expect(calls[0]!.headers.get("range")).toBeNull();
    const b = await SELF.fetch(E + key, { headers: { range: "bytes=990-" } });
    expect(b.status).toBe(206);
    expect(b.headers.get("content-range")).toBe("bytes 990-999/1000");
    expect(b.headers.get("x-vitrin-cache")).toBe("HIT");
    expect((await b.arrayBuffer()).byteLength).toBe(10);
    const full = await SELF.fetch(E + key);
    expect(full.status).toBe(200);
    expect((await full.arrayBuffer()).byteLength).toBe(1000);
    expect(calls).toHaveLength(1);
  });

  it("passes Range through uncached for objects over 100 MiB", async () => {
    const key = `/media/ab/${uid()}.mp4`;
    const { calls } = fakeOrigin((req) =>
      req.headers.has("range")
        ? ok("0123456789", { "content-range": "bytes 0-9/200000000", "cache-control": IMMUTABLE }, 206)
        : ok("", { "cache-control": IMMUTABLE, "content-length": "200000000" }),
    );
    const r = await SELF.fetch(E + key, { headers: { range: "bytes=0-9" } });
    expect(r.status).toBe(206);
    expect(r.headers.get("x-vitrin-cache")).toBe("BYPASS");
    expect(calls.at(-1)!.headers.get("range")).toBe("bytes=0-9");
  });
});

it("the secret is configured for tests", () => {
  expect((env as unknown as Env).VITRIN_EDGE_SECRET).toBe("test-secret");
});
