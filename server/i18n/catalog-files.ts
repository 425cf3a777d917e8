// Reading catalogs from disk: server/i18n/locales/<lang>/<area>.json plus _meta.json.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const LOCALES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'locales');

export interface LanguageMeta {
  name: string;
  reviewed: boolean;
  reviewedBy: string | null;
  reviewedOn: string | null;
  dir: 'ltr' | 'rtl';
}

export type Messages = Record<string, string>;

/** The area files of one language, by area name (common, auth, …). */
export function readAreas(langDir: string): Map<string, Messages> {
  const areas = new Map<string, Messages>();
  if (!existsSync(langDir)) return areas;
  for (const file of readdirSync(langDir).sort()) {
    if (!file.endsWith('.json') || file.startsWith('_')) continue;
    areas.set(file.slice(0, -5), JSON.parse(readFileSync(path.join(langDir, file), 'utf8')) as Messages);
  }
  return areas;
}

/** Every message of a language in one flat object. */
export function readMessages(langDir: string): Messages {
  const all: Messages = {};
  for (const messages of readAreas(langDir).values()) Object.assign(all, messages);
  return all;
}

export function readMeta(langDir: string): LanguageMeta {
  return JSON.parse(readFileSync(path.join(langDir, '_meta.json'), 'utf8')) as LanguageMeta;
}
