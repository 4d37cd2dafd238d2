import { SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PUBLIC_GQL, fakeOrigin, ok, sha256Hex, uid } from "./helpers";

const E = "https://edge.test";
afterEach(() => vi.restoreAllMocks());

const answer = () => ok('{"data":{"stats":{"reviews":3}}}', { "cache-control": PUBLIC_GQL, "cache-tag": "stats", "content-type": "application/json" });
const get = (params: Record<string, string>, headers: Record<string, string> = {}) =>
  SELF.fetch(`${E}/graphql?${new URLSearchParams(params)}`, { headers });
const post = (body: unknown, headers: Record<string, string> = {}) =>
  SELF.fetch(`${E}/graphql`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
const state = (r: Response) => r.headers.get("x-vitrin-cache");

describe("GraphQL cache key", () => {
  it("ignores whitespace, comments and variable order; splits by language", async () => {
    const f = `f${uid()}`;
    const { calls } = fakeOrigin(answer);
    const a = await get({ query: `query Q($a: Int, $b: Int) { stats { reviews ${f}: reviews } }`, variables: '{"a":1,"b":{"y":2,"x":1}}', operationName: "Q" });
    expect(state(a)).toBe("MISS");
    await a.text();
    const b = await get({
      query: `# a comment\nquery   Q($a: Int,\n $b: Int) {\n  stats {\n    reviews\n ${f}: reviews } }`,
      variables: '{"b":{"x":1,"y":2},"a":1}',
      operationName: "Q",
    });
    expect(state(b)).toBe("HIT");
    expect(await b.json()).toEqual({ data: { stats: { reviews: 3 } } });
    const en = await get(
      { query: `query Q($a: Int, $b: Int) { stats { reviews ${f}: reviews } }`, variables: '{"a":1,"b":{"y":2,"x":1}}', operationName: "Q" },
      { "accept-language": "en-US,en;q=0.9" },
    );
    expect(state(en)).toBe("MISS");
    expect(calls).toHaveLength(2);
  });

  it("never keys a GET whose parameters are given twice", async () => {
    const query = `query($s: Int) { stats { reviews r${uid()}: reviews } }`;
    const { calls } = fakeOrigin(answer);
    const twice = `${E}/graphql?${new URLSearchParams([["query", query], ["variables", '{"s":1}'], ["variables", '{"s":2}']])}`;
    for (let i = 0; i < 2; i++) {
      const r = await SELF.fetch(twice);
      expect(state(r)).toBe("BYPASS");
      await r.text();
    }
    const once = await get({ query, variables: '{"s":1}' });
    expect(state(once)).toBe("MISS");
    await once.text();
    expect(calls).toHaveLength(3);
  });

  it("keeps answers for different Accept headers apart", async () => {
    const query = `{ stats { reviews r${uid()}: reviews } }`;
    const { calls } = fakeOrigin(answer);
    for (const accept of ["application/json", "*/*", "application/json"]) await (await get({ query }, { accept })).text();
    expect(calls).toHaveLength(2);
  });

  it("caches a POST read under the GET key, forwarding the POST", async () => {
    const query = `{ stats { reviews r${uid()}: reviews } }`;
    const { calls } = fakeOrigin(answer);
    const a = await post({ query, variables: {} });
    expect(state(a)).toBe("MISS");
    await a.text();
    expect(calls[0]!.method).toBe("POST");
    expect(JSON.parse(calls[0]!.body)).toEqual({ query, variables: {} });
    const b = await get({ query });
    expect(state(b)).toBe("HIT");
    const c = await post({ query });
    expect(state(c)).toBe("HIT");
    expect(calls).toHaveLength(1);
  });

  it("mutations, subscriptions, unparsable documents and cookies bypass", async () => {
    const { calls } = fakeOrigin(answer);
    for (const r of [
      await post({ query: "mutation { addReview(rating: 5) { id } }" }),
      await post({ query: "subscription { statsUpdated { reviews } }" }),
      await get({ query: "mutation { logout }" }),
      await get({ query: "{ stats { " }),
      await post({ query: "{ stats { reviews } }" }, { cookie: "__Host-vitrin_session=x" }),
      await SELF.fetch(`${E}/graphql`, { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x" }, body: "--x--" }),
    ]) {
      expect(state(r)).toBe("BYPASS");
      await r.text();
    }
    expect(calls).toHaveLength(6);
    expect(calls[3]!.url).toContain("query=");
  });
});

describe("automatic persisted queries", () => {
  it("unknown hash, then query+hash, then hash alone", async () => {
    const query = `query Stats { stats { reviews x${uid()}: reviews } }`;
    const hash = await sha256Hex(query);
    const ext = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } });
    const { calls } = fakeOrigin(answer);

    const unknown = await get({ extensions: ext, operationName: "Stats" });
    expect(unknown.status).toBe(200);
    expect(unknown.headers.get("cache-control")).toBe("private, no-store");
    expect(await unknown.json()).toEqual({
      errors: [{ message: "PersistedQueryNotFound", extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } }],
    });
    expect(calls).toHaveLength(0);

    const register = await post({ query, operationName: "Stats", variables: { n: 1 }, extensions: JSON.parse(ext) });
    expect(state(register)).toBe("MISS");
    await register.text();
    expect(calls).toHaveLength(1);

    const byHash = await get({ extensions: ext, operationName: "Stats", variables: '{"n":2}' });
    expect(byHash.status).toBe(200);
    expect(state(byHash)).toBe("MISS");
    await byHash.text();
    expect(calls).toHaveLength(2);
    const forwarded = new URL(calls[1]!.url);
    expect(forwarded.searchParams.get("query")).toBe(query);
    expect(forwarded.searchParams.get("extensions")).toBe(ext);

    const again = await post({ operationName: "Stats", variables: { n: 2 }, extensions: JSON.parse(ext) });
    expect(state(again)).toBe("HIT");
  });

  it("refuses a mismatched hash and other versions", async () => {
    const { calls } = fakeOrigin(answer);
    const bad = await post({ query: "{ stats { reviews } }", extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      errors: [{ message: "provided sha does not match query", extensions: { code: "PERSISTED_QUERY_HASH_MISMATCH" } }],
    });
    const v2 = await post({ query: "{ stats { reviews } }", extensions: { persistedQuery: { version: 2, sha256Hash: "0".repeat(64) } } });
    expect(v2.status).toBe(400);
    expect(calls).toHaveLength(0);
  });
});
