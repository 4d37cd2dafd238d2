/**
 * What the product page's parts share: the page (the API, its language, the words for a
 * failure, who is looking) and its forms as the server renders them, controls with their labels and one
 * `.form-status` each. A control's error goes next to it, in a `.field-error` made on
 * first use and linked by `aria-describedby`, as on the account pages.
 */
import { ApiError } from '../../lib/errors';
import type { Request } from '../../lib/graphql';
import type { Lang } from '../../lib/i18n';
import { leave, setAlert, whileBusy } from '../account/dom';
import type { Refused } from './logic';
import { controlOf, signInPath, type FormProblem } from './productLogic';

/** The viewer's own part of the cached page. */
export interface Viewer {
  /** False also when it could not be told: the page then stays as guests see it. */
  signedIn: boolean;
  /** The product's favourite count, and whether the viewer favourited it. */
  favorite: { isFavorite: boolean; favoriteCount: number } | null;
}

export interface ProductPage {
  request: Request;
  /** The page's language (its `<html lang>`): every word the parts write is in it. */
  lang: Lang;
  /** The words for a failed request, in `lang`. */
  describe(error: unknown, refused?: Refused): string;
  viewer: Promise<Viewer>;
}

/** Goes on when someone is signed in; a guest leaves for the sign-in page, to come back to `back` (never settles). */
export async function whenSignedIn(page: ProductPage, back: string): Promise<void> {
  if (!(await page.viewer).signedIn) await leave(signInPath(back));
}

/** The form's text control `name` (an input or a textarea). */
export function textControl(form: HTMLFormElement, name: string): HTMLInputElement | HTMLTextAreaElement | null {
  return form.querySelector<HTMLInputElement | HTMLTextAreaElement>(`input[name="${name}"], textarea[name="${name}"]`);
}

export function textValue(form: HTMLFormElement, name: string): string {
  return textControl(form, name)?.value ?? '';
}

/** Puts `text` in the form's status (read out by assistive technology). */
export function say(form: HTMLFormElement, text: string): void {
  const status = form.querySelector<HTMLElement>('.form-status');
  if (status) status.textContent = text;
}

function named(form: HTMLFormElement, name: string): HTMLElement[] {
  return [...form.querySelectorAll<HTMLElement>(`[name="${name}"]`)];
}

let slots = 0;

/** The error place of the control(s) `name`: after the control, at the end of a radio group's fieldset. */
function errorSlot(form: HTMLFormElement, name: string, controls: HTMLElement[]): HTMLElement {
  const existing = form.querySelector<HTMLElement>(`.field-error[data-error-for="${name}"]`);
  if (existing) return existing;
  const slot = document.createElement('p');
  slot.className = 'field-error';
  slot.setAttribute('role', 'alert');
  slot.dataset.errorFor = name;
  slot.id = `shop-field-error-${++slots}`;
  slot.hidden = true;
  const first = controls[0];
  const group = first instanceof HTMLInputElement && first.type === 'radio' ? first.closest('fieldset') : null;
  if (group) group.append(slot);
  else controls.at(-1)?.after(slot);
  for (const control of controls) control.setAttribute('aria-describedby', `${control.getAttribute('aria-describedby') ?? ''} ${slot.id}`.trim());
  return slot;
}

/** Shows each problem at its control (in the status when the form has none) and focuses the first; true when there is none. */
export function showProblems(form: HTMLFormElement, problems: readonly FormProblem[]): boolean {
  let first: HTMLElement | null = null;
  for (const { name, text } of problems) {
    const controls = named(form, name);
    if (controls.length === 0) {
      say(form, text);
      continue;
    }
    setAlert(errorSlot(form, name, controls), text);
    for (const control of controls) control.setAttribute('aria-invalid', 'true');
    first ??= controls.find((c) => c instanceof HTMLInputElement && c.checked) ?? controls[0] ?? null;
  }
  first?.focus();
  return problems.length === 0;
}

function clearProblems(form: HTMLFormElement): void {
  for (const slot of form.querySelectorAll<HTMLElement>('.field-error')) setAlert(slot, '');
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  say(form, '');
}

export interface Submission<T> {
  /** Guests leave for the sign-in page first, to come back here. */
  signInBack?: string;
  read(): T;
  check(values: T): FormProblem[];
  send(values: T): Promise<void>;
  refused?: Refused;
  /** Used up by one success (a report): its controls are disabled then. */
  once?: boolean;
}

/**
 * Handles the form's submissions: the last problems go, the checks run, then `send` with
 * the submit button busy; a failure is shown at the control the server names, else in
 * the status.
 */
export function submitWith<T>(form: HTMLFormElement, page: ProductPage, submission: Submission<T>): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return;
    clearProblems(form);
    void whileBusy(form.querySelector<HTMLButtonElement>('button[type="submit"]'), form, async () => {
      if (submission.signInBack !== undefined) await whenSignedIn(page, submission.signInBack);
      const values = submission.read();
      if (!showProblems(form, submission.check(values))) return false;
      try {
        await submission.send(values);
        return true;
      } catch (error) {
        const text = page.describe(error, submission.refused);
        const name = error instanceof ApiError ? controlOf(error.field) : null;
        if (name && named(form, name).length > 0) showProblems(form, [{ name, text }]);
        else say(form, text);
        return false;
      }
    }).then((sent) => {
      if (!sent || !submission.once) return;
      for (const control of form.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLTextAreaElement>('button, input, textarea')) control.disabled = true;
    });
  });
}
