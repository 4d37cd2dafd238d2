import { useEffect, useRef, useState } from 'preact/hooks';
import { CountUp } from '../../lib/countup';

function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * A number that counts up (or down) to a new value and is marked while it changed.
 * Assistive technology reads the final value (the moving digits are hidden from it).
 */
export function AnimatedNumber({ value, format, decimals = 0 }: { value: number; format(n: number): string; decimals?: number }) {
  const [shown, setShown] = useState(value);
  const [changed, setChanged] = useState(false);
  const counter = useRef<CountUp | null>(null);
  const first = useRef(true);
  if (!counter.current) counter.current = new CountUp((n) => setShown(n), { decimals, reducedMotion });
  useEffect(() => {
    if (first.current) {
      first.current = false;
      counter.current?.set(value, value);
      return;
    }
    counter.current?.set(value);
    setChanged(true);
    const timer = window.setTimeout(() => setChanged(false), 1600);
    return () => window.clearTimeout(timer);
  }, [value]);
  useEffect(() => () => counter.current?.stop(), []);
  return (
    <span class={`animated-number${changed ? ' is-changed' : ''}`} data-value={value}>
      <span aria-hidden="true">{format(shown)}</span>
      <span class="visually-hidden">{format(value)}</span>
    </span>
  );
}
