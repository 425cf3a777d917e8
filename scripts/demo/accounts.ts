import type { Role } from '../../db/schema.js';
import { NETWORK_OFFICE, PARTNER_GROUPS, STAFF_NAMES } from './reference.js';
import type { PlannedOrganization, PlannedUser } from './types.js';

export interface DemoAccount {
  email: string;
  /** Printed by `npm run demo`: these accounts exist only in demonstration databases. */
  password: string;
  role: Role;
  isAdmin: boolean;
  orgCode: string;
  displayName: string;
  description: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    email: 'supporter@demo.example',
    password: 'demo-supporter-2025',
    role: 'supporter',
    isAdmin: false,
    orgCode: 'TKY',
    displayName: '田中 誠',
    description: '支援者 supporter — とうきょう移住者ともだちの会 (TKY) only',
  },
  {
    email: 'coordinator@demo.example',
    password: 'demo-coordinator-2025',
    role: 'coordinator',
    isAdmin: true,
    orgCode: 'NET',
    displayName: '佐藤 みどり',
    description: '事務局コーディネーター coordinator, admin — sees everything, reviews, manages',
  },
  {
    email: 'reviewer@demo.example',
    password: 'demo-reviewer-2025',
    role: 'coordinator',
    isAdmin: false,
    orgCode: 'NET',
    displayName: '鈴木 健太',
    description: '2人目のコーディネーター second coordinator — approves what the first one submits',
  },
  {
    email: 'auditor@demo.example',
    password: 'demo-auditor-2025',
    role: 'auditor',
    isAdmin: false,
    orgCode: 'NET',
    displayName: '高橋 由美',
    description: '監査担当 auditor — reads ledger, reports and audit trail; changes nothing',
  },
];

/** The network office and its partner groups. */
export function planOrganizations(): PlannedOrganization[] {
  return [NETWORK_OFFICE, ...PARTNER_GROUPS].map(({ code, name, prefecture }) => ({ code, name, prefecture }));
}

/**
 * The demo accounts plus the staff a real network has: one or two supporters per group (three in
 * the busiest) and a grant officer as a second auditor. Only the demo accounts can sign in.
 */
export function planUsers(): PlannedUser[] {
  const users: PlannedUser[] = DEMO_ACCOUNTS.map(({ email, displayName, role, isAdmin, orgCode }) => ({ email, displayName, role, isAdmin, orgCode }));
  const taken = new Set(users.map((u) => u.displayName));
  const names = STAFF_NAMES.filter((n) => !taken.has(n));
  let next = 0;
  const nextName = () => names[next++ % names.length]!;
  users.push({ email: 'grant-officer@demo.example', displayName: nextName(), role: 'auditor', isAdmin: false, orgCode: NETWORK_OFFICE.code });
  for (const group of PARTNER_GROUPS) {
    const staff = group.weight >= 9 ? 2 : 1;
    for (let n = 1; n <= staff; n += 1) {
      users.push({ email: `${group.code.toLowerCase()}.${n}@demo.example`, displayName: nextName(), role: 'supporter', isAdmin: false, orgCode: group.code });
    }
  }
  return users;
}
