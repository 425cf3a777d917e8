CREATE TABLE `disbursement_approvals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`disbursement_id` integer NOT NULL,
	`approved_by` integer NOT NULL,
	`approved_at` text NOT NULL,
	`version_after` integer NOT NULL,
	FOREIGN KEY (`disbursement_id`) REFERENCES `disbursements`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`approved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `disbursement_approvals_disbursement_idx` ON `disbursement_approvals` (`disbursement_id`,`version_after`);--> statement-breakpoint
CREATE TABLE `fund_review_rules` (
	`fund_id` integer PRIMARY KEY NOT NULL,
	`two_approvals_above` integer,
	`receipt_due_days` integer DEFAULT 14 NOT NULL,
	`updated_by` integer,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`fund_id`) REFERENCES `funds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "fund_review_rules_threshold" CHECK("fund_review_rules"."two_approvals_above" IS NULL OR "fund_review_rules"."two_approvals_above" >= 0),
	CONSTRAINT "fund_review_rules_due_days" CHECK("fund_review_rules"."receipt_due_days" BETWEEN 1 AND 365)
);
--> statement-breakpoint
CREATE TABLE `rejection_reasons` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`text` text NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	CONSTRAINT "rejection_reasons_text" CHECK(length(trim("rejection_reasons"."text")) BETWEEN 1 AND 200)
);
--> statement-breakpoint
-- A starting list the admin can edit under 管理 → 却下理由.
INSERT INTO `rejection_reasons` (`text`, `sort_order`) VALUES
  ('領収書の画像が読み取れません。撮り直して添付してください。', 1),
  ('金額と領収書の金額が一致していません。', 2),
  ('支出区分が内容と合っていません。', 3),
  ('同じ支給が重複して登録されています。', 4);
--> statement-breakpoint
CREATE TABLE `lost_receipt_declarations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`disbursement_id` integer NOT NULL,
	`reason` text NOT NULL,
	`amount_confirmed` integer NOT NULL,
	`received_by` text NOT NULL,
	`declared_by` integer NOT NULL,
	`declared_at` text NOT NULL,
	`accepted_by` integer,
	`accepted_at` text,
	FOREIGN KEY (`disbursement_id`) REFERENCES `disbursements`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`declared_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`accepted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "lost_receipt_reason" CHECK(length(trim("lost_receipt_declarations"."reason")) BETWEEN 1 AND 1000),
	CONSTRAINT "lost_receipt_amount" CHECK("lost_receipt_declarations"."amount_confirmed" > 0),
	CONSTRAINT "lost_receipt_received_by" CHECK("lost_receipt_declarations"."received_by" IN ('person', 'household_member', 'provider', 'other'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lost_receipt_declarations_disbursementId_unique` ON `lost_receipt_declarations` (`disbursement_id`);