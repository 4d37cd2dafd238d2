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
    type Body = { data?: TResult | null; errors?: unknown[] };
    let body: Body | null = null;
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('json')) {
      try {
        body = (await response.json()) as Body | null;
      } catch {
        body = null;
      }
    }
    if (!body || typeof body !== 'object') {
      // A proxy's error page, a gateway timeout: no GraphQL answer at all.
      throw new ApiError(response.status >= 500 ? 'NETWORK' : 'UNKNOWN', `HTTP ${response.status}`, null, response.status);
    }
    if (Array.isArray(body.errors) && body.errors.length > 0) {
      const error = apiErrorFrom(body.errors[0], response.status);
      if (error.code === 'UNAUTHENTICATED' && !requestOptions.expectUnauthenticated) {
        options.onSessionEnded?.(error);
      }
      throw error;
    }
    if (body.data === undefined || body.data === null) {
      throw new ApiError('UNKNOWN', `HTTP ${response.status} without data`, null, response.status);
    }
    return body.data;
  };
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
