// The English catalog, read from locales/en/*.json (the same keys as ja; i18n:check proves it).
import path from 'node:path';
import { LOCALES_DIR, readMessages } from './catalog-files.js';
import type { MessageKey } from './message-keys.js';

export const en = readMessages(path.join(LOCALES_DIR, 'en')) as Record<MessageKey, string>;
