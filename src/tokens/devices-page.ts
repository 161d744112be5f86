import type { FastifyReply, FastifyRequest } from 'fastify';
import { keysetPageOf } from '../db/keyset-page.js';
import type { AppDeps } from '../deps.js';
import { type TokenFormState, tokensSection } from './token-views.js';
import { html } from '../views/html.js';
import { cursorParam, PAGE_SIZE } from '../views/pager.js';
import { sessionsPage } from '../users/session-views.js';

/**
 * The devices page (`/users/<id>/sessions`): where you are logged in, then your API tokens and the
 * form for a new one (`tokenForm` carries a refused form back, with `status`).
 */
export async function replyDevicesPage(deps: AppDeps, request: FastifyRequest, reply: FastifyReply, tokenForm?: TokenFormState, status = 200) {
  const userId = request.user!.id;
  const sessions = await request.server.latchkey.listMySessions(request);
  // newest login first, 50 a page; a login's time (ms) is its place in the cursor: two logins of
  // one user in the same millisecond could only lose one of them from view at a page boundary
  const page = await keysetPageOf(
    sessions.map((session) => ({ id: session.createdAt, session })),
    'desc',
    { limit: PAGE_SIZE, cursor: cursorParam(request) },
  );
  const tokens = tokensSection(request, userId, await deps.tokens.listByUser(userId), deps.now(), tokenForm);
  const others = sessions.some((session) => !session.current);
  return reply.page('Your sessions', html`${sessionsPage(request, userId, page, others)}${tokens}`, status);
}
