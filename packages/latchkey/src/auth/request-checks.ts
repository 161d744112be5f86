import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Csrf } from './csrf.js';
import { UNSAFE_METHODS } from './csrf.js';
import { requireLogin } from './guards.js';
import { securityEvent } from './security-events.js';

/**
 * The plugin's one preHandler: the login every route needs (with `requireLoginByDefault`; routes
 * opt out with `config.public`), then the CSRF check of unsafe requests (routes opt out with
 * `config.csrf: false`; a bearer token needs none: browsers never add it by themselves). One
 * callback-style hook, not two async ones: a request that passes both, nearly all of them, costs
 * no promise.
 */
export function createRequestChecks({ loginByDefault, csrf }: { loginByDefault: boolean; csrf: Csrf | null }) {
  const login = loginByDefault ? requireLogin() : null;
  return function latchkeyChecks(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    const config = request.routeOptions.config;
    if (login && !request.user && !config.public && !request.is404) {
      // refused: the guard redirects to the login page or throws a 401
      login(request, reply).then(() => done(), done);
      return;
    }
    if (csrf && !request.apiToken && UNSAFE_METHODS.has(request.method) && !request.is404 && config.csrf !== false) {
      try {
        csrf.verify(request);
      } catch (error) {
        securityEvent(request, 'csrf.refused');
        done(error as Error);
        return;
      }
    }
    done();
  };
}
