import path from 'node:path';
import { Eta } from 'eta';
import { describe, expect, it } from 'vitest';
import { DISBURSEMENT_STATUSES } from '../../db/schema.js';
import type { Actor } from '../../server/domain/actor.js';
import { allowedActions } from '../../server/domain/workflow.js';
import { translator } from '../../server/i18n/index.js';

// The show page includes views/disbursements/_actions.eta with the actions the route computed
// through allowedActions(); the partial renders exactly those, with version, token and reasons.
const eta = new Eta({ views: path.resolve(import.meta.dirname, '../../views'), autoEscape: true });

const actor = (userId: number, role: Actor['role'], organizationId: number): Actor => ({
  userId,
  role,
  organizationId,
  isAdmin: false,
  displayName: `u${userId}`,
  locale: 'ja',
});
const viewers = [actor(1, 'coordinator', 1), actor(2, 'coordinator', 1), actor(3, 'auditor', 1), actor(4, 'supporter', 2), actor(5, 'supporter', 3)];
const submitters = [2, 4];

function render(disbursement: { status: string; organizationId: number; submittedBy: number }, extra: { actions?: string[]; isLocked?: boolean } = {}) {
  return eta.render('/disbursements/_actions', { t: translator('ja'), csrf: () => 'token', disbursement, ...extra });
}
const offered = (html: string) => [...html.matchAll(/action="\/disbursements\/42\/(\w+)"/g)].map((m) => m[1]);

describe('views/disbursements/_actions.eta', () => {
  it('offers exactly the allowed actions, for every status, viewer and submitter', () => {
    let buttons = 0;
    for (const status of DISBURSEMENT_STATUSES) {
      for (const viewer of viewers) {
        for (const submittedBy of submitters) {
          const d = { id: 42, version: 3, status, organizationId: 2, submittedBy };
          const expected = allowedActions(viewer, d);
          const html = render(d, { actions: expected });
          expect({ status, viewer: viewer.userId, submittedBy, actions: offered(html) }).toEqual({
            status,
            viewer: viewer.userId,
            submittedBy,
            actions: expected,
          });
          if (expected.length > 0) {
            expect(html).toContain('name="version" value="3"');
            expect(html).toContain('name="_csrf" value="token"');
          }
          buttons += expected.length;
        }
      }
    }
    expect(buttons).toBeGreaterThan(0);
  });

  it('asks for a reason with reject and void', () => {
    const html = render({ id: 42, version: 1, status: 'pending', organizationId: 2, submittedBy: 4 } as never, { actions: ['approve', 'reject'] });
    expect(html).toMatch(/<form method="post" action="\/disbursements\/42\/reject"[\s\S]*<textarea id="f-reason-reject-42" name="reason"[\s\S]*却下する/);
    const voidHtml = render({ id: 42, version: 2, status: 'approved', organizationId: 2, submittedBy: 4 } as never, { actions: ['void'] });
    expect(voidHtml).toMatch(/action="\/disbursements\/42\/void"[\s\S]*<textarea id="f-reason-void-42" name="reason"/);
  });

  it('offers nothing inside a locked period and says why', () => {
    const d = { id: 42, version: 1, status: 'pending' as const, organizationId: 2, submittedBy: 4 };
    const html = render(d, { actions: allowedActions(viewers[1]!, d, { isLocked: true }), isLocked: true });
    expect(offered(html)).toEqual([]);
    expect(html).toContain('締め済みの期間');
  });
});
