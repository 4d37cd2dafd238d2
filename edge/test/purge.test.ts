import { SELF, env } from "cloudflare:test";
import { tagIndex, type Env } from "../src/env";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PUBLIC_PAGE, fakeOrigin, hmacHex, ok, uid } from "./helpers";

const E = "https://edge.test";
afterEach(() => vi.restoreAllMocks());

async function purge(body: string, opts: { t?: number; secret?: string; header?: string } = {}) {
  const t = opts.t ?? Math.floor(Date.now() / 1000);
  const sig = opts.header ?? `t=${t},v1=${await hmacHex(opts.secret ?? "test-secret", `${t}.${body}`)}`;
  return SELF.fetch(`${E}/__edge/purge`, { method: "POST", body, headers: { "x-vitrin-signature": sig, "content-type": "application/json" } });
}

async function prime(paths: Record<string, string>) {
  const { calls } = fakeOrigin((req) => ok("x", { "cache-control": PUBLIC_PAGE, "cache-tag": paths[new URL(req.url).pathname] ?? "" }));
  for (const p of Object.keys(paths)) await (await SELF.fetch(E + p)).text();
  return calls;
}
const state = async (path: string) => {
  const r = await SELF.fetch(E + path);
  await r.text();
  return r.headers.get("x-vitrin-cache");
};

describe("purge", () => {
  it("forgets only the tagged keys", async () => {
    const [a, b, c] = [`/a/${uid()}`, `/b/${uid()}`, `/c/${uid()}`];
    await prime({ [a]: "stats-p", [b]: "catalog-p,storage", [c]: "reviews" });
    const r = await purge(JSON.stringify({ tags: ["stats-p", "catalog-p"] }));
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ purged: 2, tags: ["stats-p", "catalog-p"] });
    expect(await state(a)).toBe("MISS");
    expect(await state(b)).toBe("MISS");
    expect(await state(c)).toBe("HIT");
  });

  it("everything", async () => {
    const [a, b] = [`/a/${uid()}`, `/b/${uid()}`];
    await prime({ [a]: "stats", [b]: "" });
    expect(await state(b)).toBe("HIT");
    const r = await purge(JSON.stringify({ everything: true }));
    expect(r.status).toBe(200);
    const body = await r.json<{ purged: number }>();
    expect(body.purged).toBeGreaterThanOrEqual(2);
    expect(await state(a)).toBe("MISS");
    expect(await state(b)).toBe("MISS");
  });

  it("refuses bad signatures, old timestamps, replays and bad bodies", async () => {
    const [a] = [`/a/${uid()}`];
    await prime({ [a]: "stats" });
    const body = JSON.stringify({ tags: ["stats"] });
    expect((await purge(body, { secret: "wrong" })).status).toBe(401);
    expect((await purge(body, { header: "nonsense" })).status).toBe(401);
    expect((await SELF.fetch(`${E}/__edge/purge`, { method: "POST", body })).status).toBe(401);
    expect((await purge(body, { t: Math.floor(Date.now() / 1000) - 301 })).status).toBe(401);
    expect(await state(a)).toBe("HIT");
    const t = Math.floor(Date.now() / 1000);
    const first = await purge(body, { t });
    expect(first.status).toBe(200);
    const replay = await purge(body, { t });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ reason: "signature already used" });
    expect((await purge(JSON.stringify({ tags: [] }))).status).toBe(400);
    expect((await purge(JSON.stringify({ tags: ["x".repeat(129)] }))).status).toBe(400);
    expect((await purge("not json")).status).toBe(400);
  });

  it("calls the zone purge API when configured (and 502 when it fails)", async () => {
    const { calls } = fakeOrigin(() => ok('{"success":false}', {}, 500));
    const { default: worker } = await import("../src/index");
    const { env, createExecutionContext } = await import("cloudflare:test");
    const zoneEnv = { ...(env as object), CF_ZONE_ID: "zone1", CF_API_TOKEN: "tok" } as never;
    const body = JSON.stringify({ tags: ["nothing-here"] });
    const t = Math.floor(Date.now() / 1000);
    const req = new Request(`${E}/__edge/purge`, {
      method: "POST",
      body,
      headers: { "x-vitrin-signature": `t=${t},v1=${await hmacHex("test-secret", `${t}.${body}`)}` },
    });
    const r = await worker.fetch(req as never, zoneEnv, createExecutionContext());
    expect(r.status).toBe(502);
    expect(calls[0]!.url).toBe("https://api.cloudflare.com/client/v4/zones/zone1/purge_cache");
    expect(calls[0]!.headers.get("authorization")).toBe("Bearer tok");
    expect(JSON.parse(calls[0]!.body)).toEqual({ tags: ["nothing-here"] });
  });
});

it("the tag index lets go of copies the cache has dropped", async () => {
  const index = tagIndex(env as unknown as Env);
  const [gone, kept] = [`https://edge.cache/p/tr/${uid()}`, `https://edge.cache/p/tr/${uid()}`];
  await index.record(gone, ["catalog"], Date.now() - 1);
  await index.record(kept, ["catalog"], Date.now() + 60_000);
  expect(await index.tagsOf(gone)).toEqual([]);
  expect(await index.tagsOf(kept)).toEqual(["catalog"]);
});
