/**
 * When to try the websocket again. A server that stops closes its sockets with 1012
 * (service restart): it is restarting, or the load balancer already sends us to another
 * instance, so the next tries come quickly and the live numbers return within a second
 * of the server. Any other close waits the caller's backoff.
 */

/** The close code of a server that restarts (RFC 6455's registry: Service Restart). */
export const SERVICE_RESTART = 1012;
/** How long after a restart close the quick tries go on (a restart takes seconds). */
export const RESTART_WINDOW_MS = 10_000;
/** The wait between quick tries, jittered ±50 % so that many pages do not arrive at once. */
export const QUICK_RETRY_MS = 250;

export interface Reconnect {
  /** For graphql-ws `on.closed`. */
  closed(event: unknown): void;
  /** For graphql-ws `on.connected`. */
  connected(): void;
  /** For graphql-ws `retryWait`: the milliseconds to wait before retry `attempt`. */
  delay(attempt: number): number;
}

function closeCode(event: unknown): number | undefined {
  if (event && typeof event === 'object' && 'code' in event) {
    const code = (event as { code: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

/** Retry timing that follows `backoff` except right after a service restart. */
export function reconnectAfter(backoff: (attempt: number) => number, now: () => number = Date.now, random: () => number = Math.random): Reconnect {
  let restartedAt: number | null = null;
  return {
    closed(event) {
      if (closeCode(event) === SERVICE_RESTART) restartedAt = now();
    },
    connected() {
      restartedAt = null;
    },
    delay(attempt) {
      if (restartedAt !== null && now() - restartedAt < RESTART_WINDOW_MS) {
        return Math.round(QUICK_RETRY_MS * (0.5 + random()));
      }
      return backoff(attempt);
    },
  };
}
