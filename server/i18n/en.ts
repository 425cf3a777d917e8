// The English catalog: the same keys as ja.ts (the type and a test check it).
import type { MessageKey } from './ja.js';
import { acknowledgment } from './en/acknowledgment.js';
import { accounts, purges, reveals } from './en/accounts.js';
import { admin } from './en/admin.js';
import { auth } from './en/auth.js';
import { cases } from './en/cases.js';
import { common } from './en/common.js';
import { disbursements } from './en/disbursements.js';
import { offline } from './en/offline.js';
import { publicFigures } from './en/public-figures.js';
import { reports } from './en/reports.js';
import { review } from './en/review.js';

export const en: Record<MessageKey, string> = { ...common, ...auth, ...admin, ...cases, ...disbursements, ...review, ...reports, ...acknowledgment, ...offline, ...publicFigures, ...accounts, ...reveals, ...purges };
