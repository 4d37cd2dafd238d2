import { cachedFetch, visitorResponse } from "./cache";
import { json, type Env } from "./env";
import { planGraphql, languageOf } from "./graphql";
import { handleImage } from "./image";
import { handlePurge } from "./purge";

export { TagIndex } from "./tag-index";

/** Cookies whose presence means the answer may be personal (session, cart, …). */
function hasVitrinCookie(request: Request): boolean {
  const cookie = request.headers.get("cookie");
  if (!cookie) return false;
  return cookie.split(";").some((c) => (c.split("=")[0] ?? "").trim().includes("vitrin_"));
}

/** Parameters that only tell analytics where a visitor came from; the origin ignores them. */
const TRACKING = /^(utm_[a-z_]+|fbclid|gclid|msclkid|yclid)$/i;

/** A page's query as part of its key: without tracking parameters, sorted by name (the
 * order of a repeated parameter kept), so that every shared link finds one copy. */
export function pageQuery(url: URL): string {
  const kept = [...url.searchParams].filter(([name]) => !TRACKING.test(name));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = new URLSearchParams(kept).toString();
  return query ? `?${query}` : "";
}

function originUrlFor(env: Env, url: URL): URL {
  const origin = new URL(env.ORIGIN);
  const base = origin.pathname.replace(/\/$/, "");
  origin.pathname = base + url.pathname;
  origin.search = url.search;
  return origin;
}

/** The client's address for the origin: only what Cloudflare measured, never what the
 * visitor claims (the origin believes `X-Forwarded-For` from the edge). */
function clientAddress(request: Request, headers: Headers): void {
  for (const name of ["x-forwarded-for", "forwarded", "x-real-ip"]) headers.delete(name);
  const ip = request.headers.get("cf-connecting-ip");
  if (ip) headers.set("x-forwarded-for", ip);
}

/** The visitor's request re-addressed to the origin, with forwarding headers. */
function forward(request: Request, originUrl: URL): Request {
  const headers = new Headers(request.headers);
  const url = new URL(request.url);
  headers.set("x-forwarded-host", url.host);
  headers.set("x-forwarded-proto", url.protocol.replace(":", ""));
  clientAddress(request, headers);
  return new Request(originUrl, {
    method: request.method,
    headers,
    body: request.method === "GET" || request.method === "HEAD" ? null : request.body,
    redirect: "manual",
  });
}

async function bypass(request: Request, originUrl: URL): Promise<Response> {
  try {
    return visitorResponse(await fetch(forward(request, originUrl)), "BYPASS");
  } catch (e) {
    return visitorResponse(json({ error: "origin unreachable", detail: String(e) }, 502), "BYPASS");
  }
}

async function proxy(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const url = new URL(request.url);
  const originUrl = originUrlFor(env, url);
  const personal = hasVitrinCookie(request) || request.headers.has("authorization");
  const isGraphql = url.pathname === "/graphql";
  const readMethod = request.method === "GET" || request.method === "HEAD";
  if (personal || !(readMethod || (isGraphql && request.method === "POST"))) return bypass(request, originUrl);

  if (isGraphql) {
    const plan = await planGraphql(forward(request, originUrl), originUrl);
    if (plan.kind === "respond") return plan.response;
    if (plan.kind === "bypass") {
      try {
        return visitorResponse(await fetch(plan.originRequest), "BYPASS");
      } catch (e) {
        return visitorResponse(json({ error: "origin unreachable", detail: String(e) }, 502), "BYPASS");
      }
    }
    const { key, originRequest } = plan;
    // The POST body was read into memory: the request can be rebuilt for revalidation.
    const body = request.method === "POST" ? await originRequest.arrayBuffer() : null;
    return cachedFetch(request, env, ctx, {
      key,
      originRequest: () => new Request(originRequest, { body: body ? body.slice(0) : null }),
      media: false,
    });
  }

  const media = url.pathname.startsWith("/media/");
  if (media && request.headers.has("range") && !readMethod) return bypass(request, originUrl);
  const key = media
    ? `https://edge.cache${url.pathname}`
    : `https://edge.cache/p/${languageOf(request)}${url.pathname}${pageQuery(url)}`;
  return cachedFetch(request, env, ctx, { key, originRequest: () => forward(request, originUrl), media });
}

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/__edge/health") return json({ ok: true });
    if (url.pathname === "/__edge/purge") return handlePurge(request, env);
    if ((request.headers.get("upgrade") ?? "").toLowerCase() === "websocket") {
      // Websockets (e.g. /graphql/ws with graphql-transport-ws) go to the origin unchanged.
      const upgrade = new Request(originUrlFor(env, url), request);
      clientAddress(request, upgrade.headers);
      return fetch(upgrade);
    }
    if (url.pathname.startsWith("/img/")) return handleImage(request, env, ctx);
    return proxy(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
