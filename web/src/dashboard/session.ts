/** Who is signed in, kept in step with the server's session cookie. */
import {
  LogoutDocument,
  MeDocument,
  type CurrentUserFragment,
} from '../generated/graphql';
import type { ApiError } from '../lib/errors';
import { request, setSessionEndedHandler } from '../lib/graphql';
import { langFromLocale, setLanguage } from '../lib/i18n';
import { loginPath, LOGIN_PATH } from '../lib/redirect';
import { createStore } from '../lib/store';
import { currentLocation, navigate, route } from './router';

export type User = CurrentUserFragment;

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'signedIn'; user: User }
  | { status: 'unavailable'; error: unknown };

export const session = createStore<SessionState>({ status: 'loading' });

export function currentUser(): User | null {
  const s = session.get();
  return s.status === 'signedIn' ? s.user : null;
}

/** Records the signed-in user and takes over their language. */
export function setSignedIn(user: User): void {
  setLanguage(langFromLocale(user.locale));
  session.set({ status: 'signedIn', user });
}

export function setSignedOut(): void {
  session.set({ status: 'anonymous' });
}

/** Asks the server who is signed in (on start). */
export async function loadSession(): Promise<void> {
  session.set({ status: 'loading' });
  try {
    const { me } = await request(MeDocument, {}, { expectUnauthenticated: true });
    if (me) setSignedIn(me);
    else setSignedOut();
  } catch (error) {
    session.set({ status: 'unavailable', error });
  }
}

/** Sends the user to sign in, to come back here afterwards. */
export function sessionEnded(): void {
  const wasSignedIn = session.get().status === 'signedIn';
  const here = route.get();
  if (here.def.auth === 'guest') {
    setSignedOut();
    return;
  }
  navigate(loginPath(currentLocation(), window.location.origin), {
    flash: wasSignedIn || here.def.auth === 'required' ? { kind: 'info', key: 'error.sessionEnded' } : undefined,
  });
  setSignedOut();
}

/** Checks, when moving between signed-in pages, that the session still lives. */
export async function revalidateSession(): Promise<void> {
  if (session.get().status !== 'signedIn') return;
  try {
    const { me } = await request(MeDocument, {}, { expectUnauthenticated: true });
    if (session.get().status !== 'signedIn') return;
    if (!me) sessionEnded();
    else session.set({ status: 'signedIn', user: me });
  } catch {
    // Offline for a moment: the next request will tell.
  }
}

/** Ends the session on the server and goes to the sign-in page. */
export async function signOut(): Promise<void> {
  try {
    await request(LogoutDocument, {}, { expectUnauthenticated: true });
  } catch (error) {
    // Already ended on the server: signed out all the same.
    if ((error as ApiError | undefined)?.code !== 'UNAUTHENTICATED') throw error;
  }
  navigate(LOGIN_PATH, { flash: { kind: 'success', key: 'auth.signedOut' } });
  setSignedOut();
}

/** Wires the API client's session-ended signal to the sign-in page. */
export function installSessionHandling(): void {
  setSessionEndedHandler(() => sessionEnded());
}
