// The Japanese catalog (default language): one file per area under ja/, merged here.
import { acknowledgment } from './ja/acknowledgment.js';
import { accounts, purges, reveals } from './ja/accounts.js';
import { admin } from './ja/admin.js';
import { auth } from './ja/auth.js';
import { cases } from './ja/cases.js';
import { common } from './ja/common.js';
import { disbursements } from './ja/disbursements.js';
import { offline } from './ja/offline.js';
import { publicFigures } from './ja/public-figures.js';
import { reports } from './ja/reports.js';
import { review } from './ja/review.js';

export const ja = { ...common, ...auth, ...admin, ...cases, ...disbursements, ...review, ...reports, ...acknowledgment, ...offline, ...publicFigures, ...accounts, ...reveals, ...purges } as const;
export type MessageKey = keyof typeof ja;
