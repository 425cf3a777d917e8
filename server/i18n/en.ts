// The English catalog: the same keys as ja.ts (the type and a test check it).
import type { MessageKey } from './ja.js';
import { accounts, purges, reveals } from './en/accounts.js';
import { acknowledgment } from './en/acknowledgment.js';
import { admin } from './en/admin.js';
import { auditEvidence } from './en/audit-evidence.js';
import { auditWords } from './en/audit-words.js';
import { auth } from './en/auth.js';
import { cases } from './en/cases.js';
import { common } from './en/common.js';
import { disbursements } from './en/disbursements.js';
import { edges } from './en/edges.js';
import { exportFiles } from './en/exports.js';
import { find } from './en/find.js';
import { fundMoney } from './en/fund-money.js';
import { imports } from './en/imports.js';
import { importsMore } from './en/imports-more.js';
import { limits } from './en/limits.js';
import { matches } from './en/matches.js';
import { offline } from './en/offline.js';
import { publicFigures } from './en/public-figures.js';
import { reports } from './en/reports.js';
import { reviewVolume } from './en/review-volume.js';
import { review } from './en/review.js';
import { rounds } from './en/rounds.js';

export const en: Record<MessageKey, string> = { ...common, ...auth, ...admin, ...cases, ...disbursements, ...review, ...reports, ...acknowledgment, ...offline, ...publicFigures, ...edges, ...auditEvidence, ...exportFiles, ...imports, ...importsMore, ...rounds, ...limits, ...fundMoney, ...matches, ...reviewVolume, ...find, ...auditWords, ...accounts, ...reveals, ...purges };
