import { fromHex, hmacVerify, json, readLimited, tagIndex, type Env } from "./env";

export const MAX_PURGE_BODY = 64 * 1024;
export const MAX_SKEW_SECONDS = 300;
const MAX_TAGS = 256;
const DELETE_BATCH = 50;

function unauthorized(reason: string): Response {
  return json({ error: "unauthorized", reason }, 401);
}

/** `t=<unix seconds>,v1=<hex>` → parts, or null when malformed. */
export function parseSignature(header: string | null): { t: number; v1: Uint8Array; raw: string } | null {
  if (!header) return null;
  let t: string | undefined;
  let v1: string | undefined;
  for (const part of header.split(",")) {
    const [k, v] = part.split("=", 2).map((s) => s.trim());
    if (k === "t") t = v;
    else if (k === "v1") v1 = v;
  }
  if (!t || !/^\d{1,12}$/.test(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return null;
  const mac = fromHex(v1);
  return mac ? { t: Number(t), v1: mac, raw: `${t}.${v1}` } : null;
}

async function zonePurge(env: Env, tags: string[] | "everything"): Promise<string | null> {
  if (!env.CF_ZONE_ID || !env.CF_API_TOKEN) return null;
  const url = `https://api.cloudflare.com/client/v4/zones/${encodeURIComponent(env.CF_ZONE_ID)}/purge_cache`;
  const bodies =
    tags === "everything"
      ? [{ purge_everything: true }]
      : Array.from({ length: Math.ceil(tags.length / 30) }, (_, i) => ({ tags: tags.slice(i * 30, i * 30 + 30) }));
  for (const body of bodies) {
    try {
      const resp = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${env.CF_API_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const text = await resp.text();
      if (!resp.ok) return `zone purge answered ${resp.status}: ${text.slice(0, 200)}`;
    } catch (e) {
      return `zone purge failed: ${String(e)}`;
    }
  }
  return null;
}

/** POST /__edge/purge */
export async function handlePurge(request: Request, env: Env): Promise<Response> {
  if (request.method !== "POST") return json({ error: "method not allowed" }, 405, { allow: "POST" });
  const secret = env.VITRIN_EDGE_SECRET;
  if (!secret) return json({ error: "purging is disabled: VITRIN_EDGE_SECRET is not set" }, 503);
  const bytes = await readLimited(request.body, MAX_PURGE_BODY);
  if (bytes === null) return json({ error: "body too large" }, 413);
  const raw = new TextDecoder().decode(bytes);

  const sig = parseSignature(request.headers.get("x-vitrin-signature"));
  if (!sig) return unauthorized("missing or malformed x-vitrin-signature");
  if (!(await hmacVerify(secret, sig.v1, `${sig.t}.${raw}`))) return unauthorized("bad signature");
  const now = Math.floor(Date.now() / 1000);
  if (Math.abs(now - sig.t) > MAX_SKEW_SECONDS) return unauthorized("timestamp too old or in the future");

  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return json({ error: "body is not JSON" }, 400);
  }
  let tags: string[] | "everything";
  if (body && typeof body === "object" && (body as Record<string, unknown>).everything === true) {
    tags = "everything";
  } else {
    const t = body && typeof body === "object" ? (body as Record<string, unknown>).tags : undefined;
    if (
      !Array.isArray(t) ||
      t.length === 0 ||
      t.length > MAX_TAGS ||
      !t.every((x): x is string => typeof x === "string" && x.length >= 1 && x.length <= 128)
    ) {
      return json({ error: 'expected {"tags":[1..256 strings of 1..128 chars]} or {"everything":true}' }, 400);
    }
    tags = [...new Set(t)];
  }

  const index = tagIndex(env);
  if (!(await index.useSignature(sig.raw, (sig.t + MAX_SKEW_SECONDS + 1) * 1000))) {
    return unauthorized("signature already used");
  }
  const keys = tags === "everything" ? await index.purgeAll() : await index.purgeTags(tags);
  // In batches: one purge may name thousands of keys.
  let purged = 0;
  for (let i = 0; i < keys.length; i += DELETE_BATCH) {
    const deleted = await Promise.all(keys.slice(i, i + DELETE_BATCH).map((k) => caches.default.delete(k)));
    purged += deleted.filter(Boolean).length;
  }
  const zoneError = await zonePurge(env, tags);
  const result = tags === "everything" ? { purged, tags: [] as string[], everything: true } : { purged, tags };
  if (zoneError) return json({ ...result, error: zoneError }, 502);
  return json(result);
}
