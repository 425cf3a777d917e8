-- Rules the database keeps even if application code is wrong (SPEC §7).
-- A disbursement belongs to its case's organization.
CREATE TRIGGER disbursements_org_matches_case
BEFORE INSERT ON disbursements
WHEN NEW.organization_id IS NOT (SELECT organization_id FROM cases WHERE id = NEW.case_id)
BEGIN
  SELECT RAISE(ABORT, 'disbursement organization must match its case');
END;
--> statement-breakpoint
-- Lines carry copies of their parent's columns for the figures index; a copy must be exact.
CREATE TRIGGER lines_match_parent
BEFORE INSERT ON disbursement_lines
WHEN NOT EXISTS (
  SELECT 1 FROM disbursements d
  WHERE d.id = NEW.disbursement_id AND d.status = NEW.status AND d.paid_on = NEW.paid_on
    AND d.organization_id = NEW.organization_id AND d.fund_id = NEW.fund_id AND d.case_id = NEW.case_id
)
BEGIN
  SELECT RAISE(ABORT, 'disbursement line must match its disbursement');
END;
--> statement-breakpoint
CREATE TRIGGER lines_follow_parent
AFTER UPDATE OF status, paid_on, organization_id, fund_id, case_id ON disbursements
BEGIN
  UPDATE disbursement_lines
  SET status = NEW.status, paid_on = NEW.paid_on, organization_id = NEW.organization_id,
      fund_id = NEW.fund_id, case_id = NEW.case_id
  WHERE disbursement_id = NEW.id;
END;
--> statement-breakpoint
-- Only a pending disbursement's content may change; decided ones change status only.
CREATE TRIGGER disbursements_content_frozen
BEFORE UPDATE OF case_id, organization_id, paid_on, fund_id, method, people_covered, payee, note ON disbursements
WHEN OLD.status <> 'pending'
BEGIN
  SELECT RAISE(ABORT, 'a decided disbursement cannot be edited');
END;
--> statement-breakpoint
CREATE TRIGGER disbursements_transitions
BEFORE UPDATE OF status ON disbursements
WHEN NEW.status <> OLD.status AND NOT (
  (OLD.status = 'pending' AND NEW.status IN ('approved', 'rejected', 'withdrawn'))
  OR (OLD.status = 'approved' AND NEW.status = 'voided')
)
BEGIN
  SELECT RAISE(ABORT, 'disbursement status transition not allowed');
END;
--> statement-breakpoint
CREATE TRIGGER disbursements_never_deleted
BEFORE DELETE ON disbursements
BEGIN
  SELECT RAISE(ABORT, 'disbursements are never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER lines_frozen_after_decision_update
BEFORE UPDATE OF category_id, amount, position, disbursement_id ON disbursement_lines
WHEN OLD.status <> 'pending'
BEGIN
  SELECT RAISE(ABORT, 'lines of a decided disbursement cannot change');
END;
--> statement-breakpoint
CREATE TRIGGER lines_frozen_after_decision_delete
BEFORE DELETE ON disbursement_lines
WHEN OLD.status <> 'pending'
BEGIN
  SELECT RAISE(ABORT, 'lines of a decided disbursement cannot be removed');
END;
--> statement-breakpoint
-- A category that any line uses can never be deleted (retire it instead).
CREATE TRIGGER categories_used_never_deleted
BEFORE DELETE ON categories
WHEN EXISTS (SELECT 1 FROM disbursement_lines WHERE category_id = OLD.id)
BEGIN
  SELECT RAISE(ABORT, 'a category in use cannot be deleted');
END;
--> statement-breakpoint
-- The audit trail is append-only; tampering must go around the app, and audit:verify finds it.
CREATE TRIGGER audit_events_no_update
BEFORE UPDATE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'audit events are append-only');
END;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_delete
BEFORE DELETE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'audit events are append-only');
END;
