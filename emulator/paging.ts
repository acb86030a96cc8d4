/**
 * Twilio's list pages, in both styles the SDK follows: v1 `meta` with absolute URLs, and API v2010's top-level
 * `*_page_uri` fields relative to api.twilio.com. PageToken carries the offset of the page (`PT<offset>`).
 */
import { twilioUrl } from './resources';

export interface ListRequest {
  path: string;
  query: URLSearchParams;
  input: Record<string, unknown>;
}

const DEFAULT_PAGE_SIZE = 50;

interface Slice<T> {
  items: T[];
  page: number;
  pageSize: number;
  offset: number;
  hasNext: boolean;
}

function slice<T>(all: readonly T[], input: Record<string, unknown>): Slice<T> {
  const pageSize = (input.PageSize as number | undefined) ?? DEFAULT_PAGE_SIZE;
  const page = (input.Page as number | undefined) ?? 0;
  const token = /^PT(\d+)$/.exec(typeof input.PageToken === 'string' ? input.PageToken : '');
  const offset = token ? Number(token[1]) : page * pageSize;
  return {
    items: all.slice(offset, offset + pageSize),
    page,
    pageSize,
    offset,
    hasNext: offset + pageSize < all.length,
  };
}

/** The request's own path and filters with the given page; other paging parameters replaced. */
function pagePath(req: ListRequest, pageSize: number, page: number, offset?: number): string {
  const params = new URLSearchParams(req.query);
  for (const name of ['PageSize', 'Page', 'PageToken']) params.delete(name);
  params.set('PageSize', String(pageSize));
  params.set('Page', String(page));
  if (offset !== undefined) params.set('PageToken', `PT${offset}`);
  return `${req.path}?${params}`;
}

function neighbours<T>(req: ListRequest, s: Slice<T>) {
  return {
    first: pagePath(req, s.pageSize, 0),
    current: pagePath(req, s.pageSize, s.page, s.page > 0 ? s.offset : undefined),
    next: s.hasNext ? pagePath(req, s.pageSize, s.page + 1, s.offset + s.pageSize) : null,
    previous: s.page > 0 ? pagePath(req, s.pageSize, s.page - 1, Math.max(0, s.offset - s.pageSize)) : null,
  };
}

export function v1Page<T>(sub: string, req: ListRequest, key: string, all: readonly T[], render: (item: T) => unknown) {
  const s = slice(all, req.input);
  const urls = neighbours(req, s);
  const absolute = (path: string | null) => path && twilioUrl(sub, path);
  return {
    [key]: s.items.map(render),
    meta: {
      page: s.page,
      page_size: s.pageSize,
      first_page_url: absolute(urls.first),
      previous_page_url: absolute(urls.previous),
      url: absolute(urls.current),
      next_page_url: absolute(urls.next),
      key,
    },
  };
}

export function v2010Page<T>(req: ListRequest, key: string, all: readonly T[], render: (item: T) => unknown) {
  const s = slice(all, req.input);
  const urls = neighbours(req, s);
  return {
    [key]: s.items.map(render),
    start: s.offset,
    end: s.offset + Math.max(0, s.items.length - 1),
    page: s.page,
    page_size: s.pageSize,
    first_page_uri: urls.first,
    previous_page_uri: urls.previous,
    uri: urls.current,
    next_page_uri: urls.next,
  };
}
