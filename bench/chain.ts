/** Walking one list the way a client must: page after page, each naming the next in its `Link: rel="next"` header. */
import type { Pool } from 'undici';
import { nextLink } from '../meetings/client/url.js';

/** Every page of the list `first` begins, one request after another; `onPage` gets each page's text. Throws on a status other than 200. */
export async function walkChain(pool: Pool, origin: string, headers: Record<string, string>, first: string, onPage: (text: string) => void = () => undefined): Promise<number> {
  let path: string | undefined = first;
  let pages = 0;
  while (path !== undefined) {
    const res = await pool.request({ method: 'GET', path, headers });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`GET ${path}: ${res.statusCode} ${text.slice(0, 200)}`);
    pages++;
    onPage(text);
    const next = nextLink(res.headers.link);
    path = next === undefined ? undefined : new URL(next, origin).pathname + new URL(next, origin).search;
  }
  return pages;
}
