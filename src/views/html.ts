/** Markup that is already safe: made by `html` or vouched for with `raw`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const NEEDS_ESCAPE = /[&<>"']/g;
const HAS_SPECIAL = /[&<>"']/;

export function escapeHtml(text: string): string {
  // most values have nothing to escape: skip the replace and its callback for them
  return HAS_SPECIAL.test(text) ? text.replace(NEEDS_ESCAPE, (char) => ESCAPES[char]!) : text;
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * Escapes every interpolated value unless it is itself `html` (or `raw`); arrays are joined, and
 * `null`, `undefined` and `false` render nothing.
 *
 * @example
 * html`<p>${user.username}</p>` // a username of `<script>` stays text
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Trusts a string as markup. Only for constants written in this codebase, never for input. */
export const raw = (markup: string) => new SafeHtml(markup);
