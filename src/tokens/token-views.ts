import type { FastifyRequest } from 'fastify';
import { type FieldErrors, field, form } from '../views/form.js';
import { html, type SafeHtml } from '../views/html.js';
import type { ApiToken } from './token-repository.js';
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, MAX_TOKEN_NAME_CHARACTERS } from './token-rules.js';

const day = (iso: string) => iso.slice(0, 10);

export interface TokenFormState {
  name?: string;
  scopes?: readonly string[];
  days?: string;
  errors?: FieldErrors;
}

/** The devices page's second half: your API tokens, with revoke buttons, and the form for a new one. */
export function tokensSection(request: FastifyRequest, userId: number, tokens: ApiToken[], now: number, state: TokenFormState = {}): SafeHtml {
  const base = `/users/${userId}/tokens`;
  const { name = '', scopes = ['read'], days = String(DEFAULT_TOKEN_DAYS), errors = {} } = state;
  const checkbox = (scope: string, label: string) =>
    html`<div class="checkbox"><input type="checkbox" id="field-scope-${scope}" name="scope_${scope}" value="on"${scopes.includes(scope) ? html` checked` : ''}> <label for="field-scope-${scope}">${label}</label></div>`;
  return html`<h2 id="tokens">API tokens</h2>
<p class="muted">For scripts and apps: send <code>Authorization: Bearer &lt;token&gt;</code> to the <a href="/api/docs">JSON API</a>. A new password revokes them all.</p>
${tokens.length === 0
  ? html`<p class="muted">You have no API tokens.</p>`
  : html`<ul class="sessions">
${tokens.map((token) => {
  const expired = Date.parse(token.expiresAt) <= now;
  return html`<li class="session"><strong>${token.name}</strong> <span class="badge">${token.scopes.join(' + ')}</span>${expired ? html` <span class="badge">expired</span>` : ''}
<br><span class="muted">created ${day(token.createdAt)} · ${expired ? 'expired' : 'expires'} ${day(token.expiresAt)} · ${token.lastUsedAt ? `last used ${day(token.lastUsedAt)}` : 'never used'}</span>
${form({ action: `${base}/${token.id}`, method: 'DELETE', csrfToken: request.csrfToken(), submit: 'Revoke this token', className: 'inline-form' })}
</li>`;
})}
</ul>`}
<h3>New token</h3>
${form(
  { action: base, csrfToken: request.csrfToken(), submit: 'Create token', className: 'stack' },
  field({ name: 'name', label: 'Name', value: name, required: true, maxLength: MAX_TOKEN_NAME_CHARACTERS, hint: 'What it is for, e.g. "backup script".', errors }),
  html`<fieldset class="field${errors.scopes ? ' has-error' : ''}"><legend>Scopes</legend>
${errors.scopes ? html`<p class="field-error" id="field-scopes-error"><span class="visually-hidden">Error: </span>${errors.scopes}</p>` : ''}
${checkbox('read', 'read: look (GET requests)')}
${checkbox('write', 'write: change (everything else)')}
</fieldset>`,
  field({ name: 'expires_in_days', label: 'Days until it expires', value: days, required: true, hint: `1 to ${MAX_TOKEN_DAYS}.`, errors }),
)}`;
}

/** The one page that shows a new token: it is never shown again. */
export function newTokenPage(userId: number, token: ApiToken, secret: string): SafeHtml {
  return html`<h1>Your new API token</h1>
<p class="notice">Copy it now: this is the only time it is shown. Latchkey keeps only a hash of it.</p>
<p><strong>${token.name}</strong> <span class="badge">${token.scopes.join(' + ')}</span> · expires ${day(token.expiresAt)}</p>
<p><code class="token">${secret}</code></p>
<p>Use it as <code>Authorization: Bearer ${secret}</code>.</p>
<p><a href="/users/${userId}/sessions#tokens">Back to your devices and tokens</a></p>`;
}
