/**
 * GraphiQL's fetcher for Vitrin: queries and mutations as JSON POSTs to `/graphql`
 * (same origin: the session cookie goes along), subscriptions over `/graphql/ws`. A
 * `Authorization: Bearer …` header typed into GraphiQL's headers editor is sent with
 * every POST and, for subscriptions, in the websocket's `connection_init`.
 */
import type { Fetcher, FetcherOpts, FetcherParams, FetcherReturnType } from '@graphiql/toolkit';
import { getOperationAST, parse, type DocumentNode } from 'graphql';
import type { Client } from 'graphql-ws';
import { createSubscriptionClient } from '../lib/ws';

/** The value of the Authorization header among `headers`, whatever its case. */
export function authorization(headers: Record<string, unknown> | undefined): string | undefined {
  const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'authorization');
  return typeof entry?.[1] === 'string' && entry[1].trim() !== '' ? entry[1].trim() : undefined;
}

/** Whether the operation GraphiQL runs is a subscription. */
export function isSubscription(params: FetcherParams, document?: DocumentNode): boolean {
  try {
    const ast = document ?? parse(params.query);
    return getOperationAST(ast, params.operationName ?? undefined)?.operation === 'subscription';
  } catch {
    // An unparsable document goes over HTTP, which answers with the syntax error.
    return false;
  }
}

/** Creates the fetcher; `connect` opens a websocket client for an Authorization value. */
export function createVitrinFetcher(
  connect: (authorization: string | undefined) => Client = (auth) =>
    createSubscriptionClient(auth ? { connectionParams: { authorization: auth } } : {}),
  post: typeof fetch = (...args) => fetch(...args),
): Fetcher {
  // One websocket per credential: the session is fixed at connection_init.
  const clients = new Map<string, Client>();
  const clientFor = (auth: string | undefined): Client => {
    const key = auth ?? '';
    let client = clients.get(key);
    if (!client) {
      client = connect(auth);
      clients.set(key, client);
    }
    return client;
  };
  return (params: FetcherParams, opts?: FetcherOpts) => {
    if (isSubscription(params, opts?.documentAST)) {
      const results = clientFor(authorization(opts?.headers)).iterate({
        query: params.query,
        variables: params.variables ?? undefined,
        operationName: params.operationName ?? undefined,
      });
      // graphql-ws yields results as JSON (formatted errors); the toolkit's type names
      // graphql-js's error class, though GraphiQL only ever renders the JSON.
      return results as unknown as FetcherReturnType;
    }
    return post('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        accept: 'application/graphql-response+json, application/json',
        ...opts?.headers,
        'content-type': 'application/json',
      },
      body: JSON.stringify(params),
    }).then((response) => response.json());
  };
}
