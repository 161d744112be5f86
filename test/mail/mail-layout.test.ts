import assert from 'node:assert/strict';
import { test } from 'node:test';
import { composeMail } from '../../src/mail/mail-layout.js';

test('text that reaches a mail is escaped in its HTML part and kept as it is in its text part', () => {
  const mail = composeMail(
    'a@example.com',
    { subject: 'S', username: '<script>x</script>', paragraphs: ["Tom & Jerry's \"quote\""], action: { label: 'Go', url: 'https://example.com/a?b=1&c="2"' } },
    'https://example.com',
  );
  assert.doesNotMatch(mail.html, /<script>/);
  assert.match(mail.html, /&lt;script&gt;x&lt;\/script&gt;/);
  assert.match(mail.html, /Tom &amp; Jerry&#39;s &quot;quote&quot;/);
  assert.match(mail.html, /href="https:\/\/example\.com\/a\?b=1&amp;c=&quot;2&quot;"/);
  assert.match(mail.text, /Hello <script>x<\/script>,/);
  assert.match(mail.text, /Go:\nhttps:\/\/example\.com\/a\?b=1&c="2"/);
});
