import type { FastifyRequest } from 'fastify';
import { notFound } from './http-error.js';

/** A route's numeric id, or a 404: `/users/abc`, `/users/1.5` and `/users/1e9` name nothing. */
export function parseId(param: string | undefined): number {
  if (param === undefined || !/^[1-9]\d{0,14}$/.test(param)) throw notFound();
  return Number(param);
}

/** The numeric route parameter `name` (`:id` unless told), or a 404. */
export function idParam(request: FastifyRequest, name = 'id'): number {
  return parseId((request.params as Record<string, string | undefined>)[name]);
}
