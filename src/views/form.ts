import { html, type SafeHtml } from './html.js';

export type FieldErrors = Partial<Record<string, string>>;

export interface FieldOptions {
  name: string;
  label: string;
  value?: string;
  type?: 'text' | 'email' | 'password' | 'textarea';
  autocomplete?: string;
  required?: boolean;
  hint?: string;
  errors?: FieldErrors;
  minLength?: number;
  maxLength?: number;
  /** An identifier typed exactly (a username): phones must not capitalise or spell-check it. */
  verbatim?: boolean;
  /** Put the cursor here when the page loads (the first field with an error). */
  autofocus?: boolean;
}

/** A labelled input that shows its error beside it; passwords never come back filled. */
export function field(options: FieldOptions): SafeHtml {
  const { name, label, value = '', type = 'text', autocomplete, required, hint, errors = {}, minLength, maxLength, verbatim, autofocus } = options;
  const error = errors[name];
  const id = `field-${name}`;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const attributes = html`id="${id}" name="${name}"${autocomplete ? html` autocomplete="${autocomplete}"` : ''}${
    required ? html` required` : ''}${minLength ? html` minlength="${minLength}"` : ''}${maxLength ? html` maxlength="${maxLength}"` : ''}${
    verbatim ? html` autocapitalize="none" spellcheck="false"` : ''}${autofocus ? html` autofocus` : ''}${
    error ? html` aria-invalid="true"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}`;
  const control =
    type === 'textarea'
      ? html`<textarea ${attributes} rows="5">${value}</textarea>`
      : html`<input type="${type}" ${attributes}${type === 'password' ? '' : html` value="${value}"`}>`;
  return html`<div class="field${error ? ' has-error' : ''}">
<label for="${id}">${label}${required ? '' : html` <span class="optional">(optional)</span>`}</label>
${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}
${error ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">Error: </span>${error}</p>` : ''}
${control}
</div>`;
}

/** The name of the first field, in form order, that has an error: it gets the focus. */
export function firstError(names: readonly string[], errors: FieldErrors): string | undefined {
  return names.find((name) => errors[name]);
}

/** A POST form with its CSRF token; `method` other than POST travels as `?_method=`. */
export function form(options: { action: string; csrfToken: string; method?: 'POST' | 'PATCH' | 'DELETE'; submit: string; className?: string }, ...fields: SafeHtml[]): SafeHtml {
  const { action, csrfToken, method = 'POST', submit, className } = options;
  const target = method === 'POST' ? action : `${action}?_method=${method}`;
  return html`<form method="post" action="${target}"${className ? html` class="${className}"` : ''}>
<input type="hidden" name="csrf_token" value="${csrfToken}">
${fields}
<button type="submit"${method === 'DELETE' ? html` class="danger"` : ''}>${submit}</button>
</form>`;
}
