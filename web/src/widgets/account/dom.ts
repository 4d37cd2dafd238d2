/**
 * The account pages' forms as the server renders them: each control in a `.field` with
 * its `.field-error` (`id` + `-error`), one `.form-message` per form, one submit button.
 * Checks run in the browser first; the server's refusals go to the control they name.
 */
import { ApiError, errorMessage, type DescribeOptions } from '../../lib/errors';
import { translate, type Lang } from '../../lib/i18n';
import { controlProblem, errorField, type FieldProblem, type FormValues } from './logic';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

const NOT_VALUES = new Set(['submit', 'button', 'reset', 'image']);

function controls(form: HTMLFormElement): Control[] {
  return [...form.elements].filter(
    (el): el is Control =>
      (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) && el.name !== '' && !NOT_VALUES.has(el.type),
  );
}

function control(form: HTMLFormElement, name: string): Control | null {
  return controls(form).find((c) => c.name === name) ?? null;
}

function isCheckbox(c: Control): c is HTMLInputElement {
  return c instanceof HTMLInputElement && c.type === 'checkbox';
}

export function formValues(form: HTMLFormElement): FormValues {
  const values: Record<string, string | boolean> = {};
  for (const c of controls(form)) values[c.name] = isCheckbox(c) ? c.checked : c.value;
  return values;
}

export function fillForm(form: HTMLFormElement, values: FormValues): void {
  for (const [name, value] of Object.entries(values)) {
    const c = control(form, name);
    if (!c) continue;
    if (isCheckbox(c)) c.checked = value === true;
    else c.value = String(value);
  }
}

function errorSlot(c: Control): HTMLElement | null {
  return (c.id ? document.getElementById(`${c.id}-error`) : null) ?? c.closest('.field')?.querySelector<HTMLElement>('.field-error') ?? null;
}

/** Shows `text` at the control; false when the page has no place for it there. */
function showFieldError(c: Control, text: string): boolean {
  const slot = errorSlot(c);
  if (!slot) return false;
  slot.textContent = text;
  slot.hidden = false;
  c.setAttribute('aria-invalid', 'true');
  return true;
}

export function showFormMessage(form: HTMLFormElement, text: string): HTMLElement | null {
  const message = form.querySelector<HTMLElement>('.form-message');
  if (message) {
    message.textContent = text;
    message.hidden = false;
  }
  return message;
}

export function clearErrors(form: HTMLFormElement): void {
  for (const c of controls(form)) {
    c.removeAttribute('aria-invalid');
    const slot = errorSlot(c);
    if (slot) {
      slot.textContent = '';
      slot.hidden = true;
    }
  }
  const message = form.querySelector<HTMLElement>('.form-message');
  if (message) {
    message.replaceChildren();
    message.hidden = true;
  }
}

/** Shows every control's problem and focuses the first; true when there is none. */
function checkForm(form: HTMLFormElement, lang: Lang, extra: readonly FieldProblem[]): boolean {
  let first: Control | null = null;
  for (const c of controls(form)) {
    const problem =
      controlProblem({
        type: c.type,
        value: c.value,
        checked: isCheckbox(c) && c.checked,
        required: c.required,
        minLength: c instanceof HTMLSelectElement ? -1 : c.minLength,
        maxLength: c instanceof HTMLSelectElement ? -1 : c.maxLength,
      }) ?? extra.find((e) => e.name === c.name)?.problem;
    if (!problem) continue;
    const text = translate(lang, problem.key, problem.params);
    if (!showFieldError(c, text)) showFormMessage(form, text);
    first ??= c;
  }
  first?.focus();
  return first === null;
}

/** Where an error goes beyond the field the server names. */
export interface ErrorPlacement {
  describe?: DescribeOptions;
  /** The control for an error the server names none for. */
  field?: (error: unknown) => string | null;
}

/** At the control the error belongs to (focused), else in the form's message. */
export function showError(form: HTMLFormElement, error: unknown, lang: Lang, placement: ErrorPlacement = {}): void {
  const text = errorMessage(error, lang, placement.describe);
  const name = (error instanceof ApiError ? errorField(error.field) : null) ?? placement.field?.(error) ?? null;
  const c = name ? control(form, name) : null;
  if (c && showFieldError(c, text)) c.focus();
  else showFormMessage(form, text);
}

/**
 * Runs `work` with the button disabled (and the form, if any, `aria-busy`). A disabled
 * button loses the focus: it gets it back unless the page has put it somewhere meanwhile.
 */
export async function whileBusy<T>(button: HTMLButtonElement | null, form: HTMLFormElement | null, work: () => Promise<T>): Promise<T> {
  form?.setAttribute('aria-busy', 'true');
  if (button) button.disabled = true;
  try {
    return await work();
  } finally {
    form?.removeAttribute('aria-busy');
    if (button) {
      button.disabled = false;
      const active = document.activeElement;
      if ((!active || active === document.body) && button.isConnected) button.focus();
    }
  }
}

export interface SubmitOptions extends ErrorPlacement {
  check?: (values: FormValues) => FieldProblem[];
}

/**
 * Handles the form's submissions: the last errors go, the browser's checks run, then
 * `handle` with the values; what it throws is shown at its field or in the form message.
 */
export function onSubmit(form: HTMLFormElement, lang: Lang, handle: (values: FormValues) => Promise<void>, options: SubmitOptions = {}): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return;
    clearErrors(form);
    const values = formValues(form);
    if (!checkForm(form, lang, options.check?.(values) ?? [])) return;
    void whileBusy(form.querySelector<HTMLButtonElement>('button[type="submit"]'), form, () =>
      handle(values).catch((error: unknown) => showError(form, error, lang, options)),
    );
  });
}

/** The alert next to a control outside any form (made on first use). */
export function alertAfter(anchor: Element): HTMLElement {
  const next = anchor.nextElementSibling;
  if (next instanceof HTMLElement && next.matches('.form-message[data-account-alert]')) return next;
  const alert = document.createElement('p');
  alert.className = 'form-message';
  alert.setAttribute('role', 'alert');
  alert.dataset.accountAlert = '';
  alert.hidden = true;
  anchor.after(alert);
  return alert;
}

/** Puts `text` in an alert; an empty text hides it. */
export function setAlert(alert: HTMLElement, text: string): void {
  alert.textContent = text;
  alert.hidden = text === '';
}

export function reveal(element: Element | null, focus = false): void {
  if (!(element instanceof HTMLElement)) return;
  element.hidden = false;
  if (focus) element.focus();
}

export function conceal(element: Element | null): void {
  if (element instanceof HTMLElement) element.hidden = true;
}

/** Leaves for `href`. The promise never settles: the page stays busy until it is gone (no second request). */
export function leave(href: string, replace = false): Promise<never> {
  if (replace) window.location.replace(href);
  else window.location.assign(href);
  return new Promise<never>(() => {});
}
