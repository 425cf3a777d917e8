// The Japanese catalog (the source language), read from locales/ja/*.json.
import path from 'node:path';
import { LOCALES_DIR, readMessages } from './catalog-files.js';
import type { MessageKey } from './message-keys.js';

export type { MessageKey };
export const ja = readMessages(path.join(LOCALES_DIR, 'ja')) as Record<MessageKey, string>;
