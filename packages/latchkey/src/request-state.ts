import type { FastifyRequest } from 'fastify';

/** What Latchkey keeps on a request between its hooks; private to the package. */
export interface RequestState {
  /** The codec's bookkeeping for the loaded session; absent once saved (or for sessionless routes). */
  codec?: unknown;
  /** The CSRF secret from the cookie (null: none or malformed), read on first use. */
  csrfSecret?: string | null;
  /** Set when the CSRF secret was made in this request and its cookie must be sent. */
  csrfSecretIsNew?: boolean;
}

const stateKey = Symbol('latchkey');
type WithState = FastifyRequest & { [stateKey]?: RequestState };

/** The request's Latchkey state, made on first use. */
export function stateOf(request: FastifyRequest): RequestState {
  const withState = request as WithState;
  return (withState[stateKey] ??= {});
}
