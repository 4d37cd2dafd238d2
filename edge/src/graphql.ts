import { Kind, parse, print, type DocumentNode, type OperationDefinitionNode } from "graphql";
import { json, readLimited, sha256Hex } from "./env";

export const MAX_GRAPHQL_BODY = 64 * 1024;
const APQ_PREFIX = "https://edge.cache/apq/";
const APQ_TTL = 30 * 24 * 3600;

export type GraphqlPlan =
  /** Forward uncached. `body` is the already-read body (POST), if any. */
  | { kind: "bypass"; originRequest: Request }
  /** A read: cache under `key`; `originRequest` is what to send on a miss. */
  | { kind: "cache"; key: string; originRequest: Request }
  /** Answer directly (APQ errors). */
  | { kind: "respond"; response: Response };

interface Params {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
  extensions?: unknown;
}

/** JSON with object keys sorted recursively. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return "[" + value.map(stableStringify).join(",") + "]";
  const obj = value as Record<string, unknown>;
  return (
    "{" +
    Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
      .map((k) => JSON.stringify(k) + ":" + stableStringify(obj[k]))
      .join(",") +
    "}"
  );
}

export function languageOf(request: Request): "tr" | "en" {
  const first = (request.headers.get("accept-language") ?? "").split(",")[0]?.trim().toLowerCase() ?? "";
  return first.split(/[-_;]/)[0] === "en" ? "en" : "tr";
}

/** The request's `Accept` as sent: the origin negotiates the answer's media type from it
 * (q-values, wildcards), so answers for different ones are kept apart. */
function acceptOf(request: Request): string {
  return (request.headers.get("accept") ?? "").trim().toLowerCase();
}

function selectOperation(doc: DocumentNode, name: string | undefined): OperationDefinitionNode | null {
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (name) return ops.find((o) => o.name?.value === name) ?? null;
  return ops.length === 1 ? ops[0]! : null;
}

function parseJsonParam(raw: string | null): { ok: true; value: unknown } | { ok: false } {
  if (raw === null || raw === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

function apqError(message: string, code: string, status: number): Response {
  return json({ errors: [{ message, extensions: { code } }] }, status);
}

async function apqLookup(hash: string): Promise<string | null> {
  const hit = await caches.default.match(APQ_PREFIX + hash);
  return hit ? hit.text() : null;
}

async function apqStore(hash: string, query: string): Promise<void> {
  await caches.default.put(
    APQ_PREFIX + hash,
    new Response(query, { headers: { "content-type": "text/plain", "cache-control": `public, max-age=${APQ_TTL}` } }),
  );
}

/**
 * Resolves Automatic Persisted Queries: returns the query text to use, or a response to
 * answer with. `query` undefined with no persistedQuery extension → undefined (no APQ).
 */
async function resolveApq(query: unknown, extensions: unknown): Promise<{ query: unknown } | { response: Response }> {
  const pq =
    extensions && typeof extensions === "object" ? (extensions as Record<string, unknown>).persistedQuery : undefined;
  if (pq === undefined) return { query };
  if (!pq || typeof pq !== "object") return { response: apqError("invalid persistedQuery extension", "BAD_REQUEST", 400) };
  const { version, sha256Hash } = pq as Record<string, unknown>;
  if (version !== 1) return { response: apqError("Unsupported persisted query version", "PERSISTED_QUERY_VERSION_NOT_SUPPORTED", 400) };
  if (typeof sha256Hash !== "string" || !/^[0-9a-fA-F]{64}$/.test(sha256Hash))
    return { response: apqError("invalid sha256Hash", "BAD_REQUEST", 400) };
  const hash = sha256Hash.toLowerCase();
  if (typeof query === "string" && query !== "") {
    if ((await sha256Hex(query)) !== hash)
      return { response: apqError("provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH", 400) };
    await apqStore(hash, query);
    return { query };
  }
  const stored = await apqLookup(hash);
  if (stored === null) return { response: apqError("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND", 200) };
  return { query: stored };
}

async function cacheKey(request: Request, query: string, p: Params): Promise<string | null> {
  let doc: DocumentNode;
  try {
    doc = parse(query);
  } catch {
    return null; // the origin answers the syntax error
  }
  const opName = typeof p.operationName === "string" && p.operationName !== "" ? p.operationName : undefined;
  const op = selectOperation(doc, opName);
  if (!op || op.operation !== "query") return null;
  let variables: string;
  try {
    variables = stableStringify(p.variables ?? {});
  } catch {
    return null; // nested too deep to normalise: the origin decides
  }
  const hash = await sha256Hex(print(doc));
  const qs = new URLSearchParams({
    op: opName ?? "",
    v: await sha256Hex(variables),
    lang: languageOf(request),
    accept: acceptOf(request),
  });
  return `https://edge.cache/graphql/${hash}?${qs}`;
}

/** Decides how to handle a request to /graphql. `originUrl` is ORIGIN + path + query. */
export async function planGraphql(request: Request, originUrl: URL): Promise<GraphqlPlan> {
  const passThrough = (): GraphqlPlan => ({ kind: "bypass", originRequest: new Request(originUrl, request) });
  if (request.method === "GET" || request.method === "HEAD") {
    const sp = originUrl.searchParams;
    // A parameter given twice could be read one way here and another at the origin.
    if (["query", "variables", "operationName", "extensions"].some((name) => sp.getAll(name).length > 1)) {
      return passThrough();
    }
    const vars = parseJsonParam(sp.get("variables"));
    const ext = parseJsonParam(sp.get("extensions"));
    if (!vars.ok || !ext.ok) return passThrough();
    const apq = await resolveApq(sp.get("query") ?? undefined, ext.value);
    if ("response" in apq) return { kind: "respond", response: apq.response };
    if (typeof apq.query !== "string") return passThrough();
    const url = new URL(originUrl);
    url.searchParams.set("query", apq.query);
    const originRequest = new Request(url, request);
    const key = await cacheKey(request, apq.query, {
      variables: vars.value,
      operationName: sp.get("operationName") ?? undefined,
    });
    return key ? { kind: "cache", key, originRequest } : { kind: "bypass", originRequest };
  }
  if (request.method !== "POST") return passThrough();
  const ctype = (request.headers.get("content-type") ?? "").toLowerCase();
  if (!ctype.startsWith("application/json")) return passThrough(); // multipart uploads etc.
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_GRAPHQL_BODY) return passThrough();
  const [mine, theirs] = request.body ? request.body.tee() : [null, null];
  const bytes = await readLimited(mine, MAX_GRAPHQL_BODY);
  const rebuild = (body: BodyInit | null) => {
    const headers = new Headers(request.headers);
    headers.delete("content-length");
    return new Request(originUrl, { method: "POST", headers, body, redirect: "manual" });
  };
  if (bytes === null) return { kind: "bypass", originRequest: rebuild(theirs) };
  theirs?.cancel().catch(() => {});
  let params: Params;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return { kind: "bypass", originRequest: rebuild(bytes) };
    params = parsed as Params;
  } catch {
    return { kind: "bypass", originRequest: rebuild(bytes) };
  }
  const apq = await resolveApq(params.query, params.extensions);
  if ("response" in apq) return { kind: "respond", response: apq.response };
  if (typeof apq.query !== "string") return { kind: "bypass", originRequest: rebuild(bytes) };
  const body = apq.query === params.query ? bytes : JSON.stringify({ ...params, query: apq.query });
  const originRequest = rebuild(body);
  const key = await cacheKey(request, apq.query, params);
  return key ? { kind: "cache", key, originRequest } : { kind: "bypass", originRequest };
}
