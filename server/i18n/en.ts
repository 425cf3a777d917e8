// The English catalog: the same keys as ja.ts (the type and a test check it).
import type { MessageKey } from './ja.js';
import { admin } from './en/admin.js';
import { auth } from './en/auth.js';
import { cases } from './en/cases.js';
import { common } from './en/common.js';
import { disbursements } from './en/disbursements.js';
import { reports } from './en/reports.js';
import { review } from './en/review.js';
import { reviewVolume } from './en/review-volume.js';
import { find } from './en/find.js';
import { auditWords } from './en/audit-words.js';

export const en: Record<MessageKey, string> = { ...common, ...auth, ...admin, ...cases, ...disbursements, ...review, ...reports, ...reviewVolume, ...find, ...auditWords };
