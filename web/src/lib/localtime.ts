/**
 * `<input type="datetime-local">` values ("2026-11-27T13:00") read and written as the
 * business's wall-clock time (Europe/Istanbul), whatever zone the browser is in, so
 * that a sale starts when the shop says it does (pure: unit-tested).
 */
import { TIME_ZONE } from './format';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** The wall-clock fields of `ms` in `zone`, as if they were UTC (milliseconds). */
function wallClock(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

/** "2026-11-27T13:00" in `zone` as an RFC 3339 UTC timestamp; null when not such a value. */
export function localInputToIso(value: string, zone: string = TIME_ZONE): string | null {
  const m = value.trim().match(LOCAL);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const wanted = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  const check = new Date(wanted);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return null;
  // The zone's offset at that moment; asked again at the corrected instant, which
  // differs only across a change of the clocks.
  let instant = wanted - (wallClock(wanted, zone) - wanted);
  instant = wanted - (wallClock(instant, zone) - instant);
  return new Date(instant).toISOString();
}

/** An RFC 3339 timestamp as a `datetime-local` value in `zone` ("" when unparsable). */
export function isoToLocalInput(iso: string, zone: string = TIME_ZONE): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  return new Date(wallClock(ms, zone)).toISOString().slice(0, 16);
}
