// The Japanese catalog (default language): one file per area under ja/, merged here.
import { admin } from './ja/admin.js';
import { auth } from './ja/auth.js';
import { cases } from './ja/cases.js';
import { common } from './ja/common.js';
import { disbursements } from './ja/disbursements.js';
import { reports } from './ja/reports.js';
import { review } from './ja/review.js';
import { reviewVolume } from './ja/review-volume.js';
import { find } from './ja/find.js';
import { auditWords } from './ja/audit-words.js';

export const ja = { ...common, ...auth, ...admin, ...cases, ...disbursements, ...review, ...reports, ...reviewVolume, ...find, ...auditWords } as const;
export type MessageKey = keyof typeof ja;
