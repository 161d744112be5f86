import { Type } from 'typebox';
import { MAX_LOGIN_CHARACTERS } from '../recovery/forgot-password.js';

/** The bodies and answers of account recovery under /api/v1 (src/api/recovery-api.ts). */

const strict = { additionalProperties: false };
// the mailed tokens are 43 characters; a longer one is refused by the schema, a wrong one by the lookup
const MailedToken = Type.String({
  maxLength: 200,
  description: 'the token at the end of the link in the mail (`…/reset/<token>`, `…/confirm/<token>`)',
  examples: ['pJoa3V1zQ0dH1n3bXv4o9tq3xjv2l3a7Qx9kUq0ZbcE'],
});

export const ForgotBody = Type.Object(
  {
    login: Type.String({
      maxLength: MAX_LOGIN_CHARACTERS * 4,
      description: `your username or email address (any case), as on the form; at most ${MAX_LOGIN_CHARACTERS} characters`,
      examples: ['alice', 'alice@example.com'],
    }),
  },
  strict,
);

export const ForgotResponse = Type.Object({
  detail: Type.String({
    description: 'the same words for every login: whether the account exists is not told',
    examples: ['If that account has a confirmed email address, a link to reset its password is on its way.'],
  }),
  valid_minutes: Type.Integer({ description: 'how long the mailed link works', examples: [30] }),
});

export const ResetBody = Type.Object(
  { token: MailedToken, password: Type.String({ maxLength: 1024, description: 'the new password: 8 characters to 72 bytes, not a common one', examples: ['a whole new passphrase'] }) },
  strict,
);

export const ConfirmEmailBody = Type.Object({ token: MailedToken }, strict);

export const ConfirmEmailResponse = Type.Object({
  email: Type.String({ description: 'the confirmed address, now the account’s', examples: ['alice@example.com'] }),
  changed: Type.Boolean({ description: 'true: the link changed the address; false: it confirmed the current one' }),
});

export const VerificationResponse = Type.Object({
  sent_to: Type.String({ description: 'the address the new link went to', examples: ['alice@example.com'] }),
});
