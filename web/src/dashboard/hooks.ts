/** Preact hooks over the dashboard's stores and actions. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { language, t, type Lang } from '../lib/i18n';
import type { Store } from '../lib/store';
import { session, type User } from './session';

/** The store's value; re-renders when it changes. */
export function useStore<T>(store: Store<T>): T {
  const [value, setValue] = useState(store.get);
  useEffect(() => {
    setValue(() => store.get());
    return store.subscribe((v) => setValue(() => v));
  }, [store]);
  return value;
}

/** The current language (re-renders on a switch). */
export function useLang(): Lang {
  return useStore(language);
}

/** The signed-in user (pages that require signing in only render with one). */
export function useUser(): User {
  const s = useStore(session);
  if (s.status !== 'signedIn') throw new Error('useUser outside a signed-in page');
  return s.user;
}

export type ActionState<R> =
  | { status: 'idle' }
  | { status: 'busy' }
  | { status: 'done'; result: R }
  | { status: 'error'; error: unknown };

export interface Action<A extends unknown[], R> {
  state: ActionState<R>;
  busy: boolean;
  error: unknown;
  run(...args: A): Promise<R | undefined>;
  reset(): void;
}

/** Runs an async action (a mutation) and tracks its progress and result. */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>): Action<A, R> {
  const [state, setState] = useState<ActionState<R>>({ status: 'idle' });
  const mounted = useRef(true);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(async (...args: A): Promise<R | undefined> => {
    setState({ status: 'busy' });
    try {
      const result = await fnRef.current(...args);
      if (mounted.current) setState({ status: 'done', result });
      return result;
    } catch (error) {
      if (mounted.current) setState({ status: 'error', error });
      return undefined;
    }
  }, []);
  const reset = useCallback(() => setState({ status: 'idle' }), []);
  return {
    state,
    busy: state.status === 'busy',
    error: state.status === 'error' ? state.error : null,
    run,
    reset,
  };
}

/** How long typing pauses before a list's search is asked (ms). */
export const SEARCH_PAUSE = 300;

/** `value` once it has stayed the same for `ms`: a search asks once typing pauses, not on every key. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(() => value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** Sets the document's title for a page. */
export function useTitle(title: string): void {
  const lang = useLang();
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, lang]);
}
