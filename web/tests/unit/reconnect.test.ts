import { describe, expect, it } from 'vitest';
import { QUICK_RETRY_MS, RESTART_WINDOW_MS, SERVICE_RESTART, reconnectAfter } from '../../src/lib/reconnect';

const backoff = (attempt: number) => 1000 * 2 ** attempt;
const mid = () => 0.5;

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('reconnect timing', () => {
  it('follows the backoff after an ordinary close', () => {
    const time = clock();
    const reconnect = reconnectAfter(backoff, time.now, mid);
    reconnect.closed({ code: 1006 });
    expect(reconnect.delay(0)).toBe(1000);
    expect(reconnect.delay(3)).toBe(8000);
  });

  it('comes back quickly, with jitter, after a service restart', () => {
    const time = clock();
    const reconnect = reconnectAfter(backoff, time.now, mid);
    reconnect.closed({ code: SERVICE_RESTART, reason: 'Service restart' });
    expect(reconnect.delay(0)).toBe(QUICK_RETRY_MS);
    expect(reconnect.delay(5)).toBe(QUICK_RETRY_MS);
    expect(reconnectAfter(backoff, time.now, () => 0).delay(0)).toBe(1000);
    const low = reconnectAfter(backoff, time.now, () => 0);
    low.closed({ code: SERVICE_RESTART });
    expect(low.delay(0)).toBe(QUICK_RETRY_MS / 2);
  });

  it('returns to the backoff when the restart takes longer than the window', () => {
    const time = clock();
    const reconnect = reconnectAfter(backoff, time.now, mid);
    reconnect.closed({ code: SERVICE_RESTART });
    time.advance(RESTART_WINDOW_MS);
    expect(reconnect.delay(4)).toBe(16_000);
  });

  it('forgets the restart once connected again', () => {
    const time = clock();
    const reconnect = reconnectAfter(backoff, time.now, mid);
    reconnect.closed({ code: SERVICE_RESTART });
    reconnect.connected();
    reconnect.closed(new Event('close'));
    expect(reconnect.delay(1)).toBe(2000);
  });
});
