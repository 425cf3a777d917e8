// The Japanese catalog (default language): one file per area under ja/, merged here.
import { auth } from './ja/auth.js';
import { common } from './ja/common.js';

export const ja = { ...common, ...auth } as const;
export type MessageKey = keyof typeof ja;
