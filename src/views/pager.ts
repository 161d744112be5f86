import type { FastifyRequest } from 'fastify';
import { decodeCursor, encodeCursor, type Page, type PageCursor } from '../db/keyset-page.js';
import { HttpError } from '../http-error.js';
import { html, type SafeHtml } from './html.js';

/** How many rows a list page shows. */
export const PAGE_SIZE = 50;

/**
 * The page a list URL asks for through `?cursor=`: none for the first page, or a 400 when the
 * cursor is not one this app made (cut short, edited, or repeated).
 */
export function cursorParam(request: FastifyRequest): PageCursor | undefined {
  const text = (request.query as Record<string, unknown>).cursor;
  if (text === undefined || text === '') return undefined;
  const cursor = typeof text === 'string' ? decodeCursor(text) : null;
  if (!cursor) throw new HttpError(400, 'BAD_CURSOR', 'That page link is not valid: it may have been cut short. Start again from the first page of the list.');
  return cursor;
}

/** The words on a list's links: messages go Newer / Older, people Previous / Next. */
export interface PagerLabels {
  prev: string;
  next: string;
}

/** Links to the page before and after this one, as `rel="prev"` and `rel="next"`; nothing when the list fits one page. */
export function pager(path: string, page: Page<unknown>, labels: PagerLabels): SafeHtml {
  if (!page.prevCursor && !page.nextCursor) return html``;
  const href = (cursor: PageCursor) => `${path}?cursor=${encodeCursor(cursor)}`;
  return html`<nav class="pager" aria-label="Pages">
${page.prevCursor ? html`<a rel="prev" href="${href(page.prevCursor)}"><span aria-hidden="true">← </span>${labels.prev}</a>` : ''}
${page.nextCursor ? html`<a rel="next" href="${href(page.nextCursor)}">${labels.next}<span aria-hidden="true"> →</span></a>` : ''}
</nav>`;
}
