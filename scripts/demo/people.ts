import { randomBytes } from 'node:crypto';
import { writeTransaction, type Db } from '../../db/client.js';
import type { Actor } from '../../server/domain/actor.js';
import { createOrganization } from '../../server/domain/organizations.js';
import { createUser } from '../../server/domain/users.js';
import { DEMO_ACCOUNTS } from './accounts.js';
import type { DemoPlan } from './types.js';

export interface DemoPeople {
  orgId: ReadonlyMap<string, number>;
  actorOf(email: string): Actor;
  /** The network's admin coordinator: sets up funds, rounds, money in and locks. */
  admin: Actor;
}

/** Only the demo accounts can sign in: everyone else gets a password nobody is told. */
const passwordFor = (email: string) => DEMO_ACCOUNTS.find((a) => a.email === email)?.password ?? randomBytes(32).toString('base64url');

/**
 * The network as an operator would set it up: the office and its admin first (as
 * `npm run create-user` does, by nobody), then the admin adds the groups and the staff.
 * Outside the seed's transaction because password hashing is asynchronous.
 */
export async function createDemoPeople(db: Db, plan: DemoPlan, at: Date): Promise<DemoPeople> {
  const orgId = new Map<string, number>();
  const addOrg = (code: string, actorUserId: number | null) => {
    const o = plan.organizations.find((p) => p.code === code)!;
    orgId.set(
      code,
      writeTransaction(db, (tx) => createOrganization(tx, actorUserId, { code: o.code, name: o.name, prefecture: o.prefecture }, at)),
    );
  };
  const actors = new Map<string, Actor>();
  const addUser = async (email: string, actorUserId: number | null) => {
    const u = plan.users.find((p) => p.email === email)!;
    const input = {
      email: u.email,
      displayName: u.displayName,
      role: u.role,
      organizationId: orgId.get(u.orgCode)!,
      isAdmin: u.isAdmin,
      locale: 'ja' as const,
    };
    const userId = await createUser(db, actorUserId, input, passwordFor(email), at);
    actors.set(email, {
      userId,
      role: u.role,
      organizationId: input.organizationId,
      isAdmin: input.role === 'coordinator' && u.isAdmin,
      displayName: u.displayName,
      locale: 'ja',
    });
  };
  const first = plan.users.find((u) => u.isAdmin)!;
  addOrg(first.orgCode, null);
  await addUser(first.email, null);
  const admin = actors.get(first.email)!;
  for (const o of plan.organizations) if (!orgId.has(o.code)) addOrg(o.code, admin.userId);
  for (const u of plan.users) if (!actors.has(u.email)) await addUser(u.email, admin.userId);
  return { orgId, admin, actorOf: (email) => actors.get(email)! };
}
