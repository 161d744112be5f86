import { html, type SafeHtml } from '../views/html.js';
import type { Mail } from './mail-transport.js';

/** What a mail says, once: the plain-text and HTML parts are both made from it, so they never disagree. */
export interface MailContent {
  subject: string;
  /** Who it is for, as the greeting names them. */
  username: string;
  paragraphs: string[];
  /** The one thing to do, as a button (HTML) and a bare address (text). */
  action?: { label: string; url: string };
  /** What to do if it was not you, and the like: after the action. */
  afterwards?: string[];
}

const SITE_NAME = 'Latchkey';

/**
 * Both parts of a mail. The HTML is one column of text with inline styles (mail programs ignore
 * style sheets), no images and nothing fetched from elsewhere: no tracking pixels, nothing that
 * breaks when remote content is blocked.
 *
 * @example
 * composeMail('alice@example.com', { subject: 'Hi', username: 'alice', paragraphs: ['Hello.'] }, 'https://example.com');
 */
export function composeMail(to: string, content: MailContent, publicUrl: string): Mail {
  return { to, subject: content.subject, text: textPart(content, publicUrl), html: htmlPart(content, publicUrl).value };
}

function textPart({ username, paragraphs, action, afterwards = [] }: MailContent, publicUrl: string): string {
  const blocks = [`Hello ${username},`, ...paragraphs];
  if (action) blocks.push(`${action.label}:\n${action.url}`);
  blocks.push(...afterwards);
  blocks.push(`-- \n${SITE_NAME} · ${publicUrl}\nYou receive this mail because of your account ${username} there.`);
  return `${blocks.join('\n\n')}\n`;
}

const FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

function htmlPart({ subject, username, paragraphs, action, afterwards = [] }: MailContent, publicUrl: string): SafeHtml {
  const paragraph = (text: string) => html`<p style="margin:0 0 16px;line-height:1.5">${text}</p>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${subject}</title>
</head>
<body style="margin:0;padding:24px 12px;background:#f4f5f7;color:#1b1f24;${FONT};font-size:16px">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #d8dce2;border-radius:8px;padding:24px">
${paragraph(`Hello ${username},`)}
${paragraphs.map(paragraph)}
${action
  ? html`<p style="margin:24px 0"><a href="${action.url}" style="display:inline-block;background:#1d4ed8;color:#ffffff;text-decoration:none;font-weight:600;padding:12px 20px;border-radius:6px">${action.label}</a></p>
<p style="margin:0 0 16px;font-size:14px;color:#4b5563">If the button does not work, copy this address into your browser:<br><span style="word-break:break-all">${action.url}</span></p>`
  : ''}
${afterwards.map(paragraph)}
<hr style="border:none;border-top:1px solid #d8dce2;margin:24px 0 16px">
<p style="margin:0;font-size:13px;color:#4b5563">${SITE_NAME} · <a href="${publicUrl}" style="color:#1d4ed8">${publicUrl}</a><br>You receive this mail because of your account ${username} there.</p>
</div>
</body>
</html>
`;
}
