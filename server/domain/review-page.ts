import type { Tx } from '../../db/client.js';
import type { Actor } from './actor.js';
import { listActiveRejectionReasons } from './rejection-reasons.js';
import { approvalStateOf, type ApprovalState } from './second-approval.js';
import { actionsFor, type Disbursement } from './workflow.js';

/** What a record page needs to offer review actions: the allowed ones, "1 of 2", the preset reasons. */
export function reviewPanelFor(tx: Tx, actor: Actor, d: Disbursement, isLocked: boolean) {
  const actions = actionsFor(tx, actor, d, { isLocked });
  const approval: ApprovalState | null = d.status === 'pending' ? approvalStateOf(tx, d) : null;
  const presets = actions.includes('reject') ? listActiveRejectionReasons(tx).map((r) => ({ id: r.id, text: r.text })) : [];
  return { actions, approval, presets };
}
