/**
 * Local sign-in providers on 127.0.0.1 that speak the real protocols, for the storefront's
 * "Google ile giriş yap" and "Facebook ile giriş yap":
 *
 * - an OpenID Connect provider: discovery, JWKS (an RSA key made at start), an
 *   authorization endpoint that checks what a real one checks (client, `code`, PKCE S256,
 *   `openid` scope, state, nonce) and agrees at once (no consent screen), and a token
 *   endpoint that checks the client (HTTP Basic with each part form-encoded, RFC 6749
 *   §2.3.1, or client_secret_post), the single-use code, the redirect URI and the PKCE
 *   verifier, and answers with an ID token signed with RS256;
 * - Facebook's login dialog and Graph API: the code exchange, `debug_token` with the app
 *   token, and `/me` only with the right `appsecret_proof`.
 *
 * Only node:http and node:crypto. What either refuses is kept in `refusals()` (a refusal
 * makes the server say "… şu anda yanıt vermiyor", which alone would not say why).
 */
import { createHash, createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The person who signs in at a provider next. */
export interface Person {
  /** The provider's id of the person (`sub`; Facebook's user id). */
  sub: string;
  email: string;
  name: string;
}

export const GOOGLE_CLIENT_ID = 'vitrin-e2e.apps.example';
/** With characters that HTTP Basic credentials must carry form-encoded (RFC 6749 §2.3.1). */
export const GOOGLE_CLIENT_SECRET = 'g-secret/e2e+1=';
export const FACEBOOK_APP_ID = '424242424242';
export const FACEBOOK_APP_SECRET = 'facebook-e2e-secret';

export interface SignInProviders {
  /** The OpenID Connect provider's origin (its issuer). */
  google: string;
  /** The Facebook fake's origin (dialog under /dialog/oauth, Graph API under /graph). */
  facebook: string;
  /** The server's settings for both. */
  env: Record<string, string>;
  /** Who signs in with Google next. */
  setGooglePerson(person: Person): void;
  /** Who signs in with Facebook next. */
  setFacebookPerson(person: Person): void;
  /** The requests either provider refused, and why (empty when all went as it should). */
  refusals(): string[];
  stop(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, url: URL, body: string) => Answer;

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

const json = (status: number, value: unknown): Answer => ({
  status,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(value),
});

const redirect = (location: string): Answer => ({ status: 302, headers: { location, 'cache-control': 'no-store' } });

/** `redirect_uri` with the answer's parameters added (keeping any query it has). */
function back(redirectUri: string, params: Record<string, string>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 100_000) req.destroy(new Error('body too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

async function listen(name: string, refusals: string[], handler: Handler): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    readBody(req)
      .then((body) => handler(req, url, body))
      .catch((error: unknown): Answer => {
        refusals.push(`${name} ${req.method} ${url.pathname}: ${String(error)}`);
        return { status: 500, body: 'internal error' };
      })
      .then((answer) => {
        if (answer.status >= 400) refusals.push(`${name} ${req.method} ${url.pathname} → ${answer.status} ${answer.body ?? ''}`);
        res.writeHead(answer.status, answer.headers ?? { 'content-type': 'text/plain; charset=utf-8' });
        res.end(answer.body ?? '');
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const code = (prefix: string) => `${prefix}-${randomBytes(16).toString('base64url')}`;

/** `application/x-www-form-urlencoded` decoding of one Basic credential part (RFC 6749 §2.3.1). */
function formDecode(part: string): string | null {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** The client of a token request: HTTP Basic (client_secret_basic) or the form (client_secret_post). */
function client(req: http.IncomingMessage, form: URLSearchParams): { id: string; secret: string } | null {
  const header = req.headers.authorization ?? '';
  if (header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    const id = formDecode(decoded.slice(0, colon));
    const secret = formDecode(decoded.slice(colon + 1));
    if (id === null || secret === null) return null;
    // Credentials in both places are not allowed (RFC 6749 §2.3).
    if (form.has('client_secret')) return null;
    return { id, secret };
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id !== null && secret !== null ? { id, secret } : null;
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** A JWT signed with RS256 (RSASSA-PKCS1-v1_5 with SHA-256). */
function signJwt(claims: Record<string, unknown>, key: KeyObject, kid: string): string {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const payload = b64url(JSON.stringify(claims));
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), key);
  return `${header}.${payload}.${b64url(signature)}`;
}

interface Grant {
  redirectUri: string;
  challenge: string;
  nonce: string;
  person: Person;
}

async function startOidc(refusals: string[]) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `e2e-${randomBytes(6).toString('hex')}`;
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  let person: Person = { sub: 'google-e2e-0', email: 'kimse@example.com', name: 'Kimse' };
  const grants = new Map<string, Grant>();
  let issuer = '';

  const handler: Handler = (req, url, body) => {
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /.well-known/openid-configuration':
        return json(200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid', 'email', 'profile'],
          claims_supported: ['iss', 'aud', 'sub', 'iat', 'exp', 'nonce', 'email', 'email_verified', 'name'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        });
      case 'GET /jwks':
        return json(200, { keys: [jwk] });
      case 'GET /authorize': {
        const q = url.searchParams;
        const redirectUri = q.get('redirect_uri');
        const state = q.get('state');
        const nonce = q.get('nonce');
        const challenge = q.get('code_challenge');
        const wrong = [
          q.get('client_id') !== GOOGLE_CLIENT_ID && 'client_id',
          q.get('response_type') !== 'code' && 'response_type',
          q.get('code_challenge_method') !== 'S256' && 'code_challenge_method',
          !(q.get('scope') ?? '').split(' ').includes('openid') && 'scope',
          !state && 'state',
          !nonce && 'nonce',
          !challenge && 'code_challenge',
          !redirectUri && 'redirect_uri',
        ].filter(Boolean);
        if (wrong.length > 0 || !redirectUri || !state || !nonce || !challenge) {
          return { status: 400, body: `bad authorization request (${wrong.join(', ')}): ${url.search}` };
        }
        const given = code('code');
        grants.set(given, { redirectUri, challenge, nonce, person: { ...person } });
        return redirect(back(redirectUri, { code: given, state }));
      }
      case 'POST /token': {
        const form = new URLSearchParams(body);
        const who = client(req, form);
        if (!who || who.id !== GOOGLE_CLIENT_ID || who.secret !== GOOGLE_CLIENT_SECRET) {
          return json(401, { error: 'invalid_client' });
        }
        if (form.get('grant_type') !== 'authorization_code') return json(400, { error: 'unsupported_grant_type' });
        const given = form.get('code') ?? '';
        const grant = grants.get(given);
        // Single use: gone whether or not the rest is right.
        grants.delete(given);
        if (!grant) return json(400, { error: 'invalid_grant', error_description: 'unknown or used code' });
        if (form.get('redirect_uri') !== grant.redirectUri) {
          return json(400, { error: 'invalid_grant', error_description: 'redirect_uri differs' });
        }
        const verifier = form.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
          return json(400, { error: 'invalid_grant', error_description: 'PKCE verifier does not match' });
        }
        const now = Math.floor(Date.now() / 1000);
        const idToken = signJwt(
          {
            iss: issuer,
            aud: GOOGLE_CLIENT_ID,
            sub: grant.person.sub,
            email: grant.person.email,
            email_verified: true,
            name: grant.person.name,
            nonce: grant.nonce,
            iat: now,
            exp: now + 3600,
          },
          privateKey,
          kid,
        );
        return json(200, {
          access_token: code('ya29'),
          token_type: 'Bearer',
          expires_in: 3599,
          scope: 'openid email profile',
          id_token: idToken,
        });
      }
      default:
        return { status: 404, body: `no ${route}` };
    }
  };
  const running = await listen('google', refusals, handler);
  issuer = running.origin;
  return {
    origin: running.origin,
    setPerson(next: Person) {
      person = { ...next };
    },
    close: running.close,
  };
}

async function startFacebook(refusals: string[]) {
  let person: Person = { sub: '100000000000000', email: 'kimse@example.com', name: 'Kimse' };
  const codes = new Map<string, { person: Person; redirectUri: string }>();
  const tokens = new Map<string, Person>();
  const graphError = (message: string, status = 400) => json(status, { error: { message, type: 'OAuthException', code: 190, fbtrace_id: 'e2e' } });

  const handler: Handler = (req, url, body) => {
    const route = `${req.method} ${url.pathname}`;
    const q = url.searchParams;
    switch (route) {
      case 'GET /dialog/oauth': {
        const redirectUri = q.get('redirect_uri');
        const state = q.get('state');
        if (q.get('client_id') !== FACEBOOK_APP_ID || !state || !redirectUri) {
          return { status: 400, body: `bad dialog request: ${url.search}` };
        }
        const given = code('fbcode');
        codes.set(given, { person: { ...person }, redirectUri });
        return redirect(back(redirectUri, { code: given, state }));
      }
      case 'POST /graph/oauth/access_token': {
        const form = new URLSearchParams(body);
        const given = form.get('code') ?? '';
        const grant = codes.get(given);
        codes.delete(given);
        if (form.get('client_id') !== FACEBOOK_APP_ID || form.get('client_secret') !== FACEBOOK_APP_SECRET) {
          return graphError('Error validating client secret.');
        }
        if (!grant) return graphError('This authorization code has been used or has expired.');
        if (form.get('redirect_uri') !== grant.redirectUri) {
          return graphError('Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request');
        }
        const token = `EAAB${randomBytes(24).toString('hex')}`;
        tokens.set(token, grant.person);
        return json(200, { access_token: token, token_type: 'bearer', expires_in: 5_183_944 });
      }
      case 'GET /graph/debug_token': {
        if (q.get('access_token') !== `${FACEBOOK_APP_ID}|${FACEBOOK_APP_SECRET}`) return graphError('debug_token needs the app access token.');
        const owner = tokens.get(q.get('input_token') ?? '');
        if (!owner) return json(200, { data: { is_valid: false } });
        return json(200, {
          data: {
            app_id: FACEBOOK_APP_ID,
            type: 'USER',
            application: 'Vitrin e2e',
            is_valid: true,
            expires_at: Math.floor(Date.now() / 1000) + 5_183_944,
            scopes: ['email', 'public_profile'],
            user_id: owner.sub,
          },
        });
      }
      case 'GET /graph/me': {
        const token = q.get('access_token') ?? '';
        const owner = tokens.get(token);
        if (!owner) return graphError('Invalid OAuth access token.');
        const proof = createHmac('sha256', FACEBOOK_APP_SECRET).update(token).digest('hex');
        if (q.get('appsecret_proof') !== proof) return graphError('Invalid appsecret_proof provided in the API argument');
        const fields = (q.get('fields') ?? 'id,name').split(',');
        const profile: Record<string, string> = { id: owner.sub };
        if (fields.includes('name')) profile.name = owner.name;
        if (fields.includes('email')) profile.email = owner.email;
        return json(200, profile);
      }
      default:
        return { status: 404, body: `no ${route}` };
    }
  };
  const running = await listen('facebook', refusals, handler);
  return {
    origin: running.origin,
    setPerson(next: Person) {
      person = { ...next };
    },
    close: running.close,
  };
}

/** Starts both providers; `env` goes to the server. */
export async function startProviders(): Promise<SignInProviders> {
  const refusals: string[] = [];
  const google = await startOidc(refusals);
  const facebook = await startFacebook(refusals);
  return {
    google: google.origin,
    facebook: facebook.origin,
    env: {
      VITRIN_GOOGLE_CLIENT_ID: GOOGLE_CLIENT_ID,
      VITRIN_GOOGLE_CLIENT_SECRET: GOOGLE_CLIENT_SECRET,
      VITRIN_GOOGLE_ISSUER: google.origin,
      VITRIN_FACEBOOK_APP_ID: FACEBOOK_APP_ID,
      VITRIN_FACEBOOK_APP_SECRET: FACEBOOK_APP_SECRET,
      VITRIN_FACEBOOK_DIALOG_URL: `${facebook.origin}/dialog/oauth`,
      VITRIN_FACEBOOK_GRAPH_URL: `${facebook.origin}/graph`,
    },
    setGooglePerson: google.setPerson,
    setFacebookPerson: facebook.setPerson,
    refusals: () => [...refusals],
    async stop() {
      await Promise.all([google.close(), facebook.close()]);
    },
  };
}
