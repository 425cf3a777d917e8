import { eq } from 'drizzle-orm';
import { writeTransaction, type Db } from '../../db/client.js';
import { organizations, users, type Role } from '../../db/schema.js';
import { createOrganization } from '../../server/domain/organizations.js';
import { hashPassword } from '../../server/domain/passwords.js';

export const DEFAULT_PASSWORD = 'correct horse battery staple';

// Hashing is deliberately slow (argon2id); tests share one hash of the default password.
let defaultHash: Promise<string> | null = null;
const passwordHashFor = (password: string) => (password === DEFAULT_PASSWORD ? (defaultHash ??= hashPassword(DEFAULT_PASSWORD)) : hashPassword(password));

let sequence = 0;

export function makeOrganization(db: Db, overrides: { code?: string; name?: string; prefecture?: string | null } = {}) {
  sequence += 1;
  const code = overrides.code ?? `O${String.fromCharCode(65 + (sequence % 26))}${String.fromCharCode(65 + (Math.floor(sequence / 26) % 26))}`;
  const id = writeTransaction(db, (tx) =>
    createOrganization(tx, null, { code, name: overrides.name ?? `Group ${code}`, prefecture: overrides.prefecture ?? null }, new Date()),
  );
  return db.select().from(organizations).where(eq(organizations.id, id)).get()!;
}

export interface MadeUser {
  id: number;
  email: string;
  password: string;
  role: Role;
  organizationId: number;
  isAdmin: boolean;
}

export async function makeUser(
  db: Db,
  options: {
    role: Role;
    organizationId: number;
    isAdmin?: boolean;
    email?: string;
    password?: string;
    mustChangePassword?: boolean;
    locale?: 'ja' | 'en';
    displayName?: string;
  },
): Promise<MadeUser> {
  sequence += 1;
  const password = options.password ?? DEFAULT_PASSWORD;
  const email = options.email ?? `${options.role}${sequence}@example.org`;
  const row = db
    .insert(users)
    .values({
      email,
      displayName: options.displayName ?? `${options.role} ${sequence}`,
      role: options.role,
      organizationId: options.organizationId,
      isAdmin: options.isAdmin ?? false,
      passwordHash: await passwordHashFor(password),
      mustChangePassword: options.mustChangePassword ?? false,
      locale: options.locale ?? 'ja',
    })
    .returning()
    .get();
  return { id: row.id, email, password, role: row.role, organizationId: row.organizationId, isAdmin: row.isAdmin };
}

/** The usual cast: a network office with an admin coordinator, two partner groups, each role. */
export async function makeWorld(db: Db) {
  const office = makeOrganization(db, { code: 'NET', name: 'Network office' });
  const tokyo = makeOrganization(db, { code: 'TKY', name: 'Tokyo group' });
  const osaka = makeOrganization(db, { code: 'OSK', name: 'Osaka group' });
  const admin = await makeUser(db, { role: 'coordinator', organizationId: office.id, isAdmin: true, displayName: 'Admin Coordinator' });
  const coordinator = await makeUser(db, { role: 'coordinator', organizationId: office.id, displayName: 'Second Coordinator' });
  const auditor = await makeUser(db, { role: 'auditor', organizationId: office.id, displayName: 'Auditor' });
  const tokyoSupporter = await makeUser(db, { role: 'supporter', organizationId: tokyo.id, displayName: 'Tokyo Supporter' });
  const osakaSupporter = await makeUser(db, { role: 'supporter', organizationId: osaka.id, displayName: 'Osaka Supporter' });
  return { office, tokyo, osaka, admin, coordinator, auditor, tokyoSupporter, osakaSupporter };
}
