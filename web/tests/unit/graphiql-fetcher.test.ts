import { describe, expect, it, vi } from 'vitest';
import type { Client } from 'graphql-ws';
import { authorization, createVitrinFetcher, isSubscription } from '../../src/graphiql/fetcher';

function fakeClient(): Client {
  return { iterate: vi.fn(() => (async function* () {})()) } as unknown as Client;
}

describe('GraphiQL fetcher', () => {
  it('finds the Authorization header whatever its case', () => {
    expect(authorization({ authorization: 'Bearer abc' })).toBe('Bearer abc');
    expect(authorization({ AUTHORIZATION: ' Bearer abc ' })).toBe('Bearer abc');
    expect(authorization({ 'x-other': '1' })).toBeUndefined();
    expect(authorization(undefined)).toBeUndefined();
  });

  it('tells subscriptions from queries by the chosen operation', () => {
    const query = 'query A { me { id } } subscription B { statsUpdated { visitCount } }';
    expect(isSubscription({ query, operationName: 'B' })).toBe(true);
    expect(isSubscription({ query, operationName: 'A' })).toBe(false);
    expect(isSubscription({ query: 'not graphql {' })).toBe(false);
  });

  it('posts queries as JSON with the editor headers', async () => {
    const post = vi.fn(async () => new Response('{"data":{"me":null}}'));
    const fetcher = createVitrinFetcher(() => fakeClient(), post);
    const result = await fetcher({ query: '{ me { id } }' }, { headers: { Authorization: 'Bearer t' } });
    expect(result).toEqual({ data: { me: null } });
    const [url, init] = post.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/graphql');
    expect(init.credentials).toBe('same-origin');
    expect(init.headers).toMatchObject({ Authorization: 'Bearer t', 'content-type': 'application/json' });
  });

  it('runs subscriptions on one websocket per credential', async () => {
    const connect = vi.fn(() => fakeClient());
    const fetcher = createVitrinFetcher(connect, vi.fn());
    const subscription = { query: 'subscription { statsUpdated { visitCount } }' };
    await fetcher(subscription, { headers: { authorization: 'Bearer one' } });
    await fetcher(subscription, { headers: { authorization: 'Bearer one' } });
    await fetcher(subscription, {});
    expect(connect.mock.calls).toEqual([['Bearer one'], [undefined]]);
  });
});
