/**
 * The GraphQL client: a plain `fetch` POST to `/graphql` (JSON, same-origin cookies).
 * The server keeps the session in an HttpOnly cookie; this code never sees a token.
 * An UNAUTHENTICATED answer (the session ended) is reported to the session-ended
 * handler, except where it is the expected answer (signing in).
 */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { ApiError, apiErrorFrom } from './errors';

export const GRAPHQL_ENDPOINT = '/graphql';

/** A typed operation (generated from src/graphql/*.graphql). */
export type Operation<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & {
  toString(): string;
};

export interface RequestOptions {
  signal?: AbortSignal;
  /** UNAUTHENTICATED is an answer here (wrong credentials), not an ended session. */
  expectUnauthenticated?: boolean;
}

export interface ClientOptions {
  endpoint?: string;
  fetch?: typeof fetch;
  /** Called when a request finds the session ended. */
  onSessionEnded?: (error: ApiError) => void;
}

export type Request = <TResult, TVariables>(
  operation: Operation<TResult, TVariables>,
  variables: TVariables,
  options?: RequestOptions,
) => Promise<TResult>;

/** The operation's name, for server logs and metrics. */
export function operationName(query: string): string | undefined {
  return query.match(/^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/m)?.[1];
}

export function createClient(options: ClientOptions = {}): Request {
  const endpoint = options.endpoint ?? GRAPHQL_ENDPOINT;
  return async function request<TResult, TVariables>(
    operation: Operation<TResult, TVariables>,
    variables: TVariables,
    requestOptions: RequestOptions = {},
  ): Promise<TResult> {
    const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    const query = operation.toString();
    let response: Response;
    try {
      response = await doFetch(endpoint, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/graphql-response+json, application/json;q=0.9',
        },
        body: JSON.stringify({ query, variables, operationName: operationName(query) }),
        signal: requestOptions.signal,
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw new ApiError('NETWORK', cause instanceof Error ? cause.message : String(cause));
    }
    let body: unknown = null;
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('json')) {
      try {
        body = await response.json();
      } catch {
        body = null;
      }
    }
    return graphqlData<TResult>(body, response.status, requestOptions.expectUnauthenticated ? undefined : options.onSessionEnded);
  };
}

/**
 * The `data` of a GraphQL answer (`body`: the parsed JSON, null when there was none),
 * or the ApiError it stands for; UNAUTHENTICATED is also reported to `onSessionEnded`.
 */
export function graphqlData<TData>(body: unknown, status: number, onSessionEnded?: (error: ApiError) => void): TData {
  if (!body || typeof body !== 'object') {
    // A proxy's error page, a gateway timeout: no GraphQL answer at all.
    throw new ApiError(status >= 500 ? 'NETWORK' : 'UNKNOWN', `HTTP ${status}`, null, status);
  }
  const { data, errors } = body as { data?: TData | null; errors?: unknown };
  if (Array.isArray(errors) && errors.length > 0) {
    const error = apiErrorFrom(errors[0], status);
    if (error.code === 'UNAUTHENTICATED') onSessionEnded?.(error);
    throw error;
  }
  if (data === undefined || data === null) {
    throw new ApiError('UNKNOWN', `HTTP ${status} without data`, null, status);
  }
  return data;
}

let sessionEndedHandler: ((error: ApiError) => void) | null = null;

/** Sets what happens when any request finds the session ended. */
export function setSessionEndedHandler(handler: ((error: ApiError) => void) | null): void {
  sessionEndedHandler = handler;
}

/** The dashboard's client. */
export const request: Request = createClient({
  onSessionEnded: (error) => sessionEndedHandler?.(error),
});
