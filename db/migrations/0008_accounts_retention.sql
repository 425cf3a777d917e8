CREATE TABLE `recovery_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`code_hash` text NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recovery_codes_codeHash_unique` ON `recovery_codes` (`code_hash`);--> statement-breakpoint
CREATE INDEX `recovery_codes_user_idx` ON `recovery_codes` (`user_id`);--> statement-breakpoint
CREATE TABLE `second_factors` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`totp_secret_enc` text NOT NULL,
	`confirmed_at` integer,
	`last_used_step` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `session_details` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` text NOT NULL,
	`device` text NOT NULL,
	`ip_prefix` text NOT NULL,
	`factor_stage` text,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "session_details_stage" CHECK("session_details"."factor_stage" IS NULL OR "session_details"."factor_stage" IN ('verify', 'enrol'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `session_details_sessionId_unique` ON `session_details` (`session_id`);--> statement-breakpoint
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
