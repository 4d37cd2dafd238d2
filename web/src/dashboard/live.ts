/**
 * Live data over the websocket: one graphql-ws client for the whole dashboard (the
 * session cookie authenticates it), reconnecting with backoff for as long as a page
 * listens. It is dropped when the session ends, so that the next sign-in opens a
 * socket with the new session.
 */
import type { Client } from 'graphql-ws';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, apiErrorFrom } from '../lib/errors';
import { request, type Operation } from '../lib/graphql';
import { reconnectAfter } from '../lib/reconnect';
import { createStore } from '../lib/store';
import { createSubscriptionClient, subscribe } from '../lib/ws';
import { session, sessionEnded } from './session';

export type SocketState = 'connecting' | 'connected' | 'reconnecting';

/** The websocket's state, for "canlı" indicators. */
export const socketState = createStore<SocketState>('connecting');

let client: Client | null = null;

/** Waits 1, 2, 4 … up to 30 seconds (with jitter) between attempts. */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
  return Math.round(base * (0.75 + random() * 0.5));
}

function liveClient(): Client {
  if (client) return client;
  let everConnected = false;
  const reconnect = reconnectAfter((attempt) => retryDelay(attempt));
  client = createSubscriptionClient({
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: (attempt) => new Promise((resolve) => setTimeout(resolve, reconnect.delay(attempt))),
    on: {
      connecting: () => socketState.set(everConnected ? 'reconnecting' : 'connecting'),
      connected: () => {
        everConnected = true;
        reconnect.connected();
        socketState.set('connected');
      },
      closed: (event) => {
        reconnect.closed(event);
        socketState.set(everConnected ? 'reconnecting' : 'connecting');
      },
    },
  });
  return client;
}

/** Closes the socket (signing out, session ended). */
export function resetLiveClient(): void {
  const current = client;
  client = null;
  socketState.set('connecting');
  current?.dispose();
}

session.subscribe((s) => {
  if (s.status !== 'signedIn') resetLiveClient();
});

export interface LiveState {
  /** connecting: nothing yet; live: data arrived; error: the server refused. */
  status: 'connecting' | 'live' | 'error';
  error: ApiError | null;
}

function errorOf(error: unknown): ApiError {
  if (Array.isArray(error)) return apiErrorFrom(error[0]);
  if (error instanceof ApiError) return error;
  return new ApiError('NETWORK', error instanceof Error ? error.message : 'The live connection closed.');
}

/** Subscribes while the component is mounted; `onData` gets every result. */
export function useSubscription<TResult>(operation: Operation<TResult, Record<string, never>>, onData: (data: TResult) => void): LiveState {
  const [state, setState] = useState<LiveState>({ status: 'connecting', error: null });
  const handler = useRef(onData);
  handler.current = onData;
  useEffect(() => {
    const unsubscribe = subscribe(liveClient(), operation, {}, {
      next: (data) => {
        setState({ status: 'live', error: null });
        handler.current(data);
      },
      error: (error) => {
        const apiError = errorOf(error);
        if (apiError.code === 'UNAUTHENTICATED') sessionEnded();
        setState({ status: 'error', error: apiError });
      },
    });
    return unsubscribe;
  }, [operation]);
  return state;
}

export interface LiveValue<T> {
  /** Null until the first answer (or push). */
  value: T | null;
  /** The first request's error (the value, once there is one, is shown instead). */
  error: unknown;
  live: LiveState;
  /** A newer value from elsewhere (a mutation's answer). */
  set(value: T): void;
}

/**
 * A value read once over HTTP and then kept current by a subscription. A pushed value
 * (or one `set` from a mutation) is at least as new as a late answer to the request.
 */
export function useLiveQuery<TQuery, TPush, T>(
  query: Operation<TQuery, Record<string, never>>,
  fromQuery: (data: TQuery) => T,
  subscription: Operation<TPush, Record<string, never>>,
  fromPush: (data: TPush) => T,
): LiveValue<T> {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const newer = useRef(false);
  const pick = useRef(fromQuery);
  pick.current = fromQuery;
  useEffect(() => {
    let current = true;
    request(query, {}).then(
      (data) => {
        if (current && !newer.current) setValue(pick.current(data));
      },
      (e: unknown) => {
        if (current) setError(e);
      },
    );
    return () => {
      current = false;
    };
  }, [query]);
  const set = (next: T) => {
    newer.current = true;
    setError(null);
    setValue(next);
  };
  const live = useSubscription(subscription, (data) => set(fromPush(data)));
  return { value, error, live, set };
}
