/** Amounts typed in lira on the shop's forms: read to kuruş, and what went wrong (pure: unit-tested). */
import type { Lang } from '../../lib/i18n';
import { formatKurus, parseLira, type PriceProblem } from '../../lib/money';
import type { Problem } from '../catalog/form';

export type ReadAmount = { ok: true; kurus: string } | { ok: false; problem: Problem };

/** What to tell about an amount the browser cannot read (`max` in kuruş, shown in lira). */
export function amountProblem(problem: PriceProblem, max: bigint, lang: Lang): Problem {
  switch (problem) {
    case 'empty':
      return { key: 'error.required' };
    case 'invalid':
      return { key: 'amount.invalid' };
    case 'negative':
      return { key: 'amount.negative' };
    case 'decimals':
      return { key: 'amount.decimals' };
    case 'tooLarge':
      return { key: 'amount.tooLarge', params: { max: formatKurus(max.toString(), lang) } };
  }
}

/** `text` (lira, "49,90") in kuruş, at most `max` kuruş. */
export function readAmount(text: string, max: bigint, lang: Lang): ReadAmount {
  const parsed = parseLira(text, max);
  return parsed.ok ? parsed : { ok: false, problem: amountProblem(parsed.problem, max, lang) };
}

/** The amount as read back to the person typing it ("49,90 ₺"), or null while it cannot be read. */
export function amountEcho(text: string, lang: Lang, max?: bigint): string | null {
  const parsed = parseLira(text, max);
  return parsed.ok ? formatKurus(parsed.kurus, lang) : null;
}

/** The first of `order` that has a problem. */
export function firstProblemOf<F extends string>(order: readonly F[], problems: Partial<Record<F, Problem>>): F | null {
  return order.find((f) => problems[f] !== undefined) ?? null;
}
