import { html, type SafeHtml } from '../views/html.js';
import { OUTBOX_KEEPS, type OutboxMail } from './outbox.js';

export function outboxPage(mails: OutboxMail[], dir: string): SafeHtml {
  return html`<h1>Outbox</h1>
<p class="lead">Mail the app sent. There is no SMTP_URL, so in development it lands here instead of in anyone's inbox.</p>
<p class="muted">Written to ${dir}, newest first; the last ${OUTBOX_KEEPS} are kept. Set SMTP_URL to send real mail; in production this page does not exist.</p>
${mails.length === 0
  ? html`<p>Nothing yet. Sign up with an email address, or ask for a password reset, and the mail shows up here.</p>`
  : html`<ul class="rows">
${mails.map((mail) => html`<li><a href="/dev/outbox/${mail.id}">${mail.subject}</a> <span class="muted">to ${mail.to} · ${mail.date.slice(0, 19).replace('T', ' ')} UTC</span></li>`)}
</ul>`}`;
}

export function outboxMailPage(mail: OutboxMail): SafeHtml {
  return html`<h1>${mail.subject}</h1>
<dl class="mail-headers">
<dt>From</dt><dd>${mail.from}</dd>
<dt>To</dt><dd>${mail.to}</dd>
<dt>Date</dt><dd>${mail.date}</dd>
</dl>
<pre class="mail-text">${linkified(mail.text)}</pre>
<p><a href="/dev/outbox/${mail.id}/html">The HTML part</a> · <a href="/dev/outbox">Back to the outbox</a></p>`;
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/g;

/** The text with each web address made a link, everything escaped. */
function linkified(text: string): SafeHtml[] {
  const parts: SafeHtml[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    parts.push(html`${text.slice(last, match.index)}`, html`<a href="${match[0]}">${match[0]}</a>`);
    last = match.index + match[0].length;
  }
  parts.push(html`${text.slice(last)}`);
  return parts;
}
