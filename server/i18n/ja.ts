// The Japanese catalog (default language): one file per area under ja/, merged here.
import { admin } from './ja/admin.js';
import { auth } from './ja/auth.js';
import { cases } from './ja/cases.js';
import { common } from './ja/common.js';
import { disbursements } from './ja/disbursements.js';
import { reports } from './ja/reports.js';
import { review } from './ja/review.js';
import { rounds } from './ja/rounds.js';
import { limits } from './ja/limits.js';
import { fundMoney } from './ja/fund-money.js';
import { matches } from './ja/matches.js';

export const ja = { ...common, ...auth, ...admin, ...cases, ...disbursements, ...review, ...reports, ...rounds, ...limits, ...fundMoney, ...matches } as const;
export type MessageKey = keyof typeof ja;
