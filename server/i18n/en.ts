// The English catalog: the same keys as ja.ts (the type and a test check it).
import type { MessageKey } from './ja.js';
import { auth } from './en/auth.js';
import { common } from './en/common.js';

export const en: Record<MessageKey, string> = { ...common, ...auth };
