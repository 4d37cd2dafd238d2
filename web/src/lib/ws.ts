/**
 * Subscriptions over `graphql-ws` (the graphql-transport-ws protocol) on
 * `ws(s)://<host>/graphql/ws`. Same-origin pages are authenticated by the session
 * cookie, so no token is sent. Prepared for phase 2 (live statistics).
 */
import { createClient, type Client, type ClientOptions } from 'graphql-ws';
import type { Operation } from './graphql';
import { operationName } from './graphql';

export const GRAPHQL_WS_PATH = '/graphql/ws';

/** The websocket URL for a page at `location`: http → ws, https → wss, same host. */
export function graphqlWsUrl(location: { protocol: string; host: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${GRAPHQL_WS_PATH}`;
}

/** A lazily connecting client that retries with backoff while subscriptions are open. */
export function createSubscriptionClient(options: Partial<ClientOptions> = {}): Client {
  return createClient({
    url: graphqlWsUrl(window.location),
    lazy: true,
    retryAttempts: 8,
    keepAlive: 20_000,
    ...options,
  });
}

export interface SubscriptionHandlers<TResult> {
  next(data: TResult): void;
  error?(error: unknown): void;
  complete?(): void;
}

/** Subscribes to a typed operation; returns the function that unsubscribes. */
export function subscribe<TResult, TVariables extends Record<string, unknown>>(
  client: Client,
  operation: Operation<TResult, TVariables>,
  variables: TVariables,
  handlers: SubscriptionHandlers<TResult>,
): () => void {
  const query = operation.toString();
  const name = operationName(query);
  return client.subscribe<TResult>(
    { query, variables, ...(name ? { operationName: name } : {}) },
    {
      next: (result) => {
        if (result.errors?.length) handlers.error?.(result.errors);
        else if (result.data) handlers.next(result.data as TResult);
      },
      error: (error) => handlers.error?.(error),
      complete: () => handlers.complete?.(),
    },
  );
}
