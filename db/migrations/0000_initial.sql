CREATE TABLE `idempotency_keys` (
	`key` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`request_hash` text NOT NULL,
	`response_location` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `idempotency_created_idx` ON `idempotency_keys` (`created_at`);--> statement-breakpoint
CREATE TABLE `login_throttles` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`window_started_at` integer NOT NULL,
	`locked_until` integer,
	CONSTRAINT "login_throttles_failures" CHECK("login_throttles"."failures" >= 0)
);
--> statement-breakpoint
CREATE TABLE `organizations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`prefecture` text,
	`is_active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	CONSTRAINT "organizations_code_format" CHECK("organizations"."code" GLOB '[A-Z][A-Z]*' AND length("organizations"."code") BETWEEN 2 AND 6)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organizations_code_unique` ON `organizations` (`code`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`flash` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`email` text NOT NULL,
	`display_name` text NOT NULL,
	`role` text NOT NULL,
	`is_admin` integer DEFAULT false NOT NULL,
	`password_hash` text NOT NULL,
	`must_change_password` integer DEFAULT false NOT NULL,
	`locale` text DEFAULT 'ja' NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "users_role" CHECK("users"."role" IN ('supporter', 'coordinator', 'auditor')),
	CONSTRAINT "users_locale" CHECK("users"."locale" IN ('ja', 'en')),
	CONSTRAINT "users_admin_is_coordinator" CHECK("users"."is_admin" = 0 OR "users"."role" = 'coordinator')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE INDEX `users_organization_idx` ON `users` (`organization_id`);--> statement-breakpoint
CREATE TABLE `cases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`code` text NOT NULL,
	`code_year` integer NOT NULL,
	`code_seq` integer NOT NULL,
	`household_size` integer NOT NULL,
	`gender` text,
	`age_band` text,
	`nationality` text,
	`residence_status` text,
	`prefecture` text,
	`alias_enc` text,
	`contact_enc` text,
	`notes_enc` text,
	`alias_index` text,
	`status` text DEFAULT 'open' NOT NULL,
	`opened_on` text NOT NULL,
	`closed_on` text,
	`created_by` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "cases_household_size" CHECK("cases"."household_size" BETWEEN 1 AND 20),
	CONSTRAINT "cases_gender" CHECK("cases"."gender" IS NULL OR "cases"."gender" IN ('female', 'male', 'nonbinary', 'unknown')),
	CONSTRAINT "cases_age_band" CHECK("cases"."age_band" IS NULL OR "cases"."age_band" IN ('0-17', '18-29', '30-49', '50-64', '65+')),
	CONSTRAINT "cases_residence_status" CHECK("cases"."residence_status" IS NULL OR "cases"."residence_status" IN ('refugee_applicant', 'provisional_release', 'no_status', 'designated_activities', 'technical_intern', 'specified_skilled', 'student', 'dependent', 'long_term_resident', 'permanent_resident', 'spouse_of_japanese', 'other', 'unknown')),
	CONSTRAINT "cases_nationality" CHECK("cases"."nationality" IS NULL OR "cases"."nationality" = 'unknown' OR (length("cases"."nationality") = 2 AND "cases"."nationality" GLOB '[A-Z][A-Z]')),
	CONSTRAINT "cases_prefecture" CHECK("cases"."prefecture" IS NULL OR "cases"."prefecture" = 'unknown' OR ("cases"."prefecture" GLOB '[0-4][0-9]' AND CAST("cases"."prefecture" AS INTEGER) BETWEEN 1 AND 47)),
	CONSTRAINT "cases_status" CHECK("cases"."status" IN ('open', 'closed')),
	CONSTRAINT "cases_closed_on" CHECK(("cases"."status" = 'closed') = ("cases"."closed_on" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cases_code_unique` ON `cases` (`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `cases_org_year_seq_idx` ON `cases` (`organization_id`,`code_year`,`code_seq`);--> statement-breakpoint
CREATE INDEX `cases_alias_index_idx` ON `cases` (`organization_id`,`alias_index`);--> statement-breakpoint
CREATE TABLE `categories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`label_ja` text NOT NULL,
	`label_en` text NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`requires_note` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	CONSTRAINT "categories_code_format" CHECK("categories"."code" GLOB '[a-z]*' AND length("categories"."code") BETWEEN 2 AND 32)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `categories_code_unique` ON `categories` (`code`);--> statement-breakpoint
CREATE TABLE `disbursement_lines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`disbursement_id` integer NOT NULL,
	`position` integer NOT NULL,
	`category_id` integer NOT NULL,
	`amount` integer NOT NULL,
	`status` text NOT NULL,
	`paid_on` text NOT NULL,
	`organization_id` integer NOT NULL,
	`fund_id` integer NOT NULL,
	`case_id` integer NOT NULL,
	FOREIGN KEY (`disbursement_id`) REFERENCES `disbursements`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "lines_amount" CHECK("disbursement_lines"."amount" BETWEEN 1 AND 10000000),
	CONSTRAINT "lines_position" CHECK("disbursement_lines"."position" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lines_disbursement_position_idx` ON `disbursement_lines` (`disbursement_id`,`position`);--> statement-breakpoint
CREATE INDEX `lines_category_idx` ON `disbursement_lines` (`category_id`);--> statement-breakpoint
CREATE INDEX `lines_figures_idx` ON `disbursement_lines` (`status`,`paid_on`,`organization_id`,`fund_id`,`category_id`,`amount`);--> statement-breakpoint
CREATE TABLE `disbursements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`organization_id` integer NOT NULL,
	`paid_on` text NOT NULL,
	`fund_id` integer NOT NULL,
	`method` text NOT NULL,
	`people_covered` integer NOT NULL,
	`payee` text,
	`note` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`submitted_by` integer NOT NULL,
	`submitted_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`decided_by` integer,
	`decided_at` text,
	`reject_reason` text,
	`voided_by` integer,
	`voided_at` text,
	`void_reason` text,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`fund_id`) REFERENCES `funds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submitted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`voided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "disbursements_status" CHECK("disbursements"."status" IN ('pending', 'approved', 'rejected', 'withdrawn', 'voided')),
	CONSTRAINT "disbursements_method" CHECK("disbursements"."method" IN ('cash', 'bank_transfer', 'paid_to_provider', 'prepaid_card', 'in_kind', 'other')),
	CONSTRAINT "disbursements_people" CHECK("disbursements"."people_covered" BETWEEN 1 AND 20),
	CONSTRAINT "disbursements_paid_on" CHECK("disbursements"."paid_on" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND "disbursements"."paid_on" >= '2000-01-01'),
	CONSTRAINT "disbursements_reject_reason" CHECK("disbursements"."status" <> 'rejected' OR coalesce(length(trim("disbursements"."reject_reason")), 0) > 0),
	CONSTRAINT "disbursements_void_reason" CHECK("disbursements"."status" <> 'voided' OR coalesce(length(trim("disbursements"."void_reason")), 0) > 0)
);
--> statement-breakpoint
CREATE INDEX `disbursements_case_idx` ON `disbursements` (`case_id`);--> statement-breakpoint
CREATE INDEX `disbursements_status_submitted_idx` ON `disbursements` (`status`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `disbursements_org_submitted_idx` ON `disbursements` (`organization_id`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `disbursements_figures_idx` ON `disbursements` (`status`,`paid_on`,`organization_id`,`fund_id`,`case_id`,`people_covered`);--> statement-breakpoint
CREATE TABLE `funds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`budget` integer,
	`starts_on` text,
	`ends_on` text,
	`is_default` integer DEFAULT false NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	CONSTRAINT "funds_budget" CHECK("funds"."budget" IS NULL OR "funds"."budget" >= 0),
	CONSTRAINT "funds_period" CHECK("funds"."starts_on" IS NULL OR "funds"."ends_on" IS NULL OR "funds"."starts_on" <= "funds"."ends_on")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `funds_name_unique` ON `funds` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `funds_one_default_idx` ON `funds` (`is_default`) WHERE "funds"."is_default" = 1;--> statement-breakpoint
CREATE TABLE `receipts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`disbursement_id` integer NOT NULL,
	`storage_name` text NOT NULL,
	`media_type` text NOT NULL,
	`byte_size` integer NOT NULL,
	`sha256` text NOT NULL,
	`uploaded_by` integer NOT NULL,
	`uploaded_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`disbursement_id`) REFERENCES `disbursements`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "receipts_media_type" CHECK("receipts"."media_type" IN ('image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf')),
	CONSTRAINT "receipts_size" CHECK("receipts"."byte_size" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `receipts_storageName_unique` ON `receipts` (`storage_name`);--> statement-breakpoint
CREATE INDEX `receipts_disbursement_idx` ON `receipts` (`disbursement_id`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`occurred_at` text NOT NULL,
	`actor_user_id` integer,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text,
	`before` text,
	`after` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audit_events_hash_unique` ON `audit_events` (`hash`);--> statement-breakpoint
CREATE INDEX `audit_occurred_idx` ON `audit_events` (`occurred_at`);--> statement-breakpoint
CREATE INDEX `audit_entity_idx` ON `audit_events` (`entity_type`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_actor_idx` ON `audit_events` (`actor_user_id`);--> statement-breakpoint
CREATE TABLE `period_locks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text NOT NULL,
	`note` text NOT NULL,
	`locked_by` integer NOT NULL,
	`locked_at` text NOT NULL,
	`unlocked_by` integer,
	`unlocked_at` text,
	`unlock_reason` text,
	FOREIGN KEY (`locked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unlocked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "period_locks_range" CHECK("period_locks"."starts_on" <= "period_locks"."ends_on"),
	CONSTRAINT "period_locks_unlock_reason" CHECK("period_locks"."unlocked_at" IS NULL OR coalesce(length(trim("period_locks"."unlock_reason")), 0) > 0)
);
--> statement-breakpoint
CREATE INDEX `period_locks_range_idx` ON `period_locks` (`starts_on`,`ends_on`);