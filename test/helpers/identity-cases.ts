import type { Db } from '../../db/client.js';
import type { Actor } from '../../server/domain/actor.js';
import { createCase, type NewCase } from '../../server/domain/cases.js';
import { manualClock } from '../../server/domain/clock.js';
import { createFieldCipher } from '../../server/domain/field-crypto.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { TEST_DATA_KEY } from './app.js';
import type { MadeUser } from './factories.js';

/** The field cipher of the test data key: the one an app built by buildTestApp uses. */
export const testCipher = createFieldCipher(Buffer.from(TEST_DATA_KEY, 'base64'));

/** What the case domain needs besides its input: the test cipher and a clock at the tests' now. */
export const caseDeps = { cipher: testCipher, clock: manualClock('2025-06-15T03:00:00Z') };

/** A made user as the domain's actor. */
export const actorOf = (u: MadeUser): Actor => ({
  userId: u.id,
  role: u.role,
  organizationId: u.organizationId,
  isAdmin: u.isAdmin,
  displayName: 'x',
  locale: 'ja',
});

/**
 * A case opened through the domain by `user` (so it gets the identity fingerprint the app would
 * give): `alias` is the person's name (null for none), only the nationality and household size
 * besides. Returns its id.
 */
export function openCaseWithName(db: Db, user: MadeUser, alias: string | null, options: { nationality: string | null; householdSize: number }): number {
  const input: NewCase = {
    householdSize: options.householdSize,
    gender: null,
    ageBand: null,
    nationality: options.nationality,
    residenceStatus: null,
    prefecture: null,
    alias,
    contact: null,
    notes: null,
    organizationId: null,
    idempotencyKey: newFormKey(),
  };
  return Number(createCase(db, actorOf(user), input, caseDeps).location.split('/').pop());
}
