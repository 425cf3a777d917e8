import { z } from 'zod';
import { LOCALES } from '../domain/enums.js';
import { nextAfterSignIn, safeNext } from './auth.js';
import { choice } from './fields.js';

/** The header's language menu: the language and the page to go back to. */
export const languageForm = z.object({ locale: choice(LOCALES), return: z.string().max(2000).optional() });

/**
 * Where to go after choosing: the same page, as a same-origin relative path only (no open
 * redirect), without a search term (`q`) or a `lang=` that would undo the choice. The sign-in
 * page's `next` stays only if the sign-in itself would follow it, so a hostile one is not echoed.
 */
export function returnPath(value: unknown): string {
  const path = safeNext(value);
  const at = path.indexOf('?');
  if (at === -1) return path;
  const query = new URLSearchParams(nextAfterSignIn(path).slice(at + 1));
  query.delete('lang');
  const next = query.get('next');
  if (next !== null && (query.getAll('next').length > 1 || safeNext(next) !== next)) query.delete('next');
  const rest = query.toString();
  return rest ? `${path.slice(0, at)}?${rest}` : path.slice(0, at);
}
