CREATE TABLE `case_purges` (
	`case_id` integer PRIMARY KEY NOT NULL,
	`purged_at` text NOT NULL,
	`kind` text NOT NULL,
	`purged_by` integer,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`purged_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "case_purges_kind" CHECK("case_purges"."kind" IN ('retention', 'request'))
);
--> statement-breakpoint
CREATE TABLE `receipt_erasures` (
	`receipt_id` integer PRIMARY KEY NOT NULL,
	`erased_at` text NOT NULL,
	FOREIGN KEY (`receipt_id`) REFERENCES `receipts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `retention_policies` (
	`organization_id` integer PRIMARY KEY NOT NULL,
	`identity_years` integer NOT NULL,
	`receipt_years` integer DEFAULT 7 NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "retention_identity_years" CHECK("retention_policies"."identity_years" BETWEEN 1 AND 50),
	CONSTRAINT "retention_receipt_years" CHECK("retention_policies"."receipt_years" BETWEEN 7 AND 50)
);
--> statement-breakpoint
CREATE TABLE `reveal_policies` (
	`organization_id` integer PRIMARY KEY NOT NULL,
	`owner_needs_reason` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
