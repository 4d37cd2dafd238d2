import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/lib/errors';
import { createClient, operationName, type Operation } from '../../src/lib/graphql';

const op = <R, V>(query: string) => ({ toString: () => query }) as unknown as Operation<R, V>;
const Me = op<{ me: { id: string } | null }, Record<string, never>>('query Me { me { id } }');
const Login = op<{ login: { expiresAt: string } }, { email: string; password: string }>(
  'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { expiresAt } }',
);

function answer(body: unknown, status = 200, type = 'application/graphql-response+json; charset=utf-8') {
  return vi.fn(async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': type } }));
}

describe('operationName', () => {
  it('reads the name of the operation', () => {
    expect(operationName('\n  query Me { me { id } }')).toBe('Me');
    expect(operationName('mutation Login($a: String!) { x }')).toBe('Login');
    expect(operationName('{ me { id } }')).toBeUndefined();
  });
});

describe('createClient', () => {
  it('POSTs JSON to /graphql with same-origin credentials and no token', async () => {
    const fetch = answer({ data: { me: { id: '1' } } });
    const request = createClient({ fetch });
    await expect(request(Me, {})).resolves.toEqual({ me: { id: '1' } });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/graphql');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    const headers = init.headers as Record<string, string>;
    expect(headers['Content-Type']).toBe('application/json');
    expect(headers.Authorization).toBeUndefined();
    expect(JSON.parse(init.body as string)).toEqual({ query: 'query Me { me { id } }', variables: {}, operationName: 'Me' });
  });

  it('throws the first GraphQL error with its code', async () => {
    const request = createClient({
      fetch: answer({ data: null, errors: [{ message: 'Too many', extensions: { code: 'RATE_LIMITED', retryAfter: 120 } }] }),
    });
    const error = await request(Login, { email: 'a@b.c', password: 'x' }, { expectUnauthenticated: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 120 });
  });

  it('reports an ended session, except where UNAUTHENTICATED is the expected answer', async () => {
    const onSessionEnded = vi.fn();
    const fetch = answer({ data: null, errors: [{ message: 'Your session has ended.', extensions: { code: 'UNAUTHENTICATED' } }] });
    const request = createClient({ fetch, onSessionEnded });
    await expect(request(Me, {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(onSessionEnded).toHaveBeenCalledTimes(1);
    await expect(request(Login, { email: 'a@b.c', password: 'x' }, { expectUnauthenticated: true })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(onSessionEnded).toHaveBeenCalledTimes(1);
  });

  it('reads JSON bodies of 4xx answers (graphql-response+json request errors)', async () => {
    const request = createClient({
      fetch: answer({ errors: [{ message: 'Bad', extensions: { code: 'BAD_USER_INPUT' } }] }, 400),
    });
    await expect(request(Me, {})).rejects.toMatchObject({ code: 'BAD_USER_INPUT', status: 400 });
  });

  it('a failed fetch is a NETWORK error', async () => {
    const request = createClient({
      fetch: vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    });
    await expect(request(Me, {})).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('a gateway error page is a NETWORK error, not a crash', async () => {
    const request = createClient({ fetch: answer('<html>502 Bad Gateway</html>', 502, 'text/html') });
    await expect(request(Me, {})).rejects.toMatchObject({ code: 'NETWORK', status: 502 });
  });

  it('passes aborts through untouched', async () => {
    const request = createClient({
      fetch: vi.fn(async () => {
        throw new DOMException('aborted', 'AbortError');
      }),
    });
    await expect(request(Me, {})).rejects.toMatchObject({ name: 'AbortError' });
  });
});
