// The Japanese catalog (default language): one file per area under ja/, merged here.
import { accounts, purges, reveals } from './ja/accounts.js';
import { acknowledgment } from './ja/acknowledgment.js';
import { admin } from './ja/admin.js';
import { auditEvidence } from './ja/audit-evidence.js';
import { auditWords } from './ja/audit-words.js';
import { auth } from './ja/auth.js';
import { cases } from './ja/cases.js';
import { common } from './ja/common.js';
import { disbursements } from './ja/disbursements.js';
import { edges } from './ja/edges.js';
import { exportFiles } from './ja/exports.js';
import { find } from './ja/find.js';
import { fundMoney } from './ja/fund-money.js';
import { imports } from './ja/imports.js';
import { importsMore } from './ja/imports-more.js';
import { limits } from './ja/limits.js';
import { matches } from './ja/matches.js';
import { offline } from './ja/offline.js';
import { publicFigures } from './ja/public-figures.js';
import { reports } from './ja/reports.js';
import { reviewVolume } from './ja/review-volume.js';
import { review } from './ja/review.js';
import { rounds } from './ja/rounds.js';

export const ja = { ...common, ...auth, ...admin, ...cases, ...disbursements, ...review, ...reports, ...acknowledgment, ...offline, ...publicFigures, ...edges, ...auditEvidence, ...exportFiles, ...imports, ...importsMore, ...rounds, ...limits, ...fundMoney, ...matches, ...reviewVolume, ...find, ...auditWords, ...accounts, ...reveals, ...purges } as const;
export type MessageKey = keyof typeof ja;
