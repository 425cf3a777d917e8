CREATE TABLE `round_applications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`organization_id` integer NOT NULL,
	`paid_on` text NOT NULL,
	`method` text NOT NULL,
	`submitted_by` integer NOT NULL,
	`submitted_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submitted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `round_applications_round_idx` ON `round_applications` (`round_id`,`organization_id`);--> statement-breakpoint
CREATE TABLE `round_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` integer NOT NULL,
	`round_id` integer NOT NULL,
	`organization_id` integer NOT NULL,
	`case_id` integer NOT NULL,
	`people_covered` integer NOT NULL,
	`amount` integer NOT NULL,
	`disbursement_id` integer NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `round_applications`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`disbursement_id`) REFERENCES `disbursements`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "round_entries_people" CHECK("round_entries"."people_covered" BETWEEN 1 AND 20),
	CONSTRAINT "round_entries_amount" CHECK("round_entries"."amount" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `round_entries_disbursement_idx` ON `round_entries` (`disbursement_id`);--> statement-breakpoint
CREATE INDEX `round_entries_round_idx` ON `round_entries` (`round_id`,`organization_id`);--> statement-breakpoint
CREATE INDEX `round_entries_case_idx` ON `round_entries` (`case_id`,`round_id`);--> statement-breakpoint
CREATE INDEX `round_entries_application_idx` ON `round_entries` (`application_id`);--> statement-breakpoint
CREATE TABLE `rounds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`fund_id` integer NOT NULL,
	`name` text NOT NULL,
	`category_id` integer NOT NULL,
	`amount` integer NOT NULL,
	`unit` text NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text NOT NULL,
	`max_people_per_group` integer,
	`is_open` integer DEFAULT true NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`fund_id`) REFERENCES `funds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "rounds_amount" CHECK("rounds"."amount" BETWEEN 1 AND 10000000),
	CONSTRAINT "rounds_unit" CHECK("rounds"."unit" IN ('person', 'household')),
	CONSTRAINT "rounds_window" CHECK("rounds"."starts_on" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND "rounds"."ends_on" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND "rounds"."starts_on" <= "rounds"."ends_on"),
	CONSTRAINT "rounds_max_people" CHECK("rounds"."max_people_per_group" IS NULL OR "rounds"."max_people_per_group" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rounds_fund_name_idx` ON `rounds` (`fund_id`,`name`);--> statement-breakpoint
CREATE TABLE `category_caps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`fund_id` integer NOT NULL,
	`category_id` integer NOT NULL,
	`amount` integer NOT NULL,
	`period_days` integer NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`fund_id`) REFERENCES `funds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "category_caps_amount" CHECK("category_caps"."amount" BETWEEN 1 AND 100000000),
	CONSTRAINT "category_caps_days" CHECK("category_caps"."period_days" BETWEEN 1 AND 3660)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `category_caps_fund_category_idx` ON `category_caps` (`fund_id`,`category_id`);--> statement-breakpoint
CREATE TABLE `disbursement_flags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`disbursement_id` integer NOT NULL,
	`kind` text NOT NULL,
	`detail` text NOT NULL,
	`reason` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`disbursement_id`) REFERENCES `disbursements`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "disbursement_flags_kind" CHECK("disbursement_flags"."kind" IN ('over_cap', 'duplicate', 'overdraw')),
	CONSTRAINT "disbursement_flags_reason" CHECK("disbursement_flags"."kind" NOT IN ('over_cap', 'overdraw') OR coalesce(length(trim("disbursement_flags"."reason")), 0) > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `disbursement_flags_kind_idx` ON `disbursement_flags` (`disbursement_id`,`kind`);--> statement-breakpoint
CREATE INDEX `disbursement_flags_kind_only_idx` ON `disbursement_flags` (`kind`);--> statement-breakpoint
CREATE TABLE `category_budgets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`fund_id` integer NOT NULL,
	`category_id` integer NOT NULL,
	`amount` integer NOT NULL,
	`created_by` integer NOT NULL,
	FOREIGN KEY (`fund_id`) REFERENCES `funds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "category_budgets_amount" CHECK("category_budgets"."amount" BETWEEN 1 AND 10000000000)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `category_budgets_fund_category_idx` ON `category_budgets` (`fund_id`,`category_id`);--> statement-breakpoint
CREATE TABLE `fund_targets` (
	`fund_id` integer PRIMARY KEY NOT NULL,
	`amount` integer NOT NULL,
	`due_on` text,
	`is_public` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`fund_id`) REFERENCES `funds`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "fund_targets_amount" CHECK("fund_targets"."amount" BETWEEN 1 AND 10000000000),
	CONSTRAINT "fund_targets_due" CHECK("fund_targets"."due_on" IS NULL OR "fund_targets"."due_on" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
);
--> statement-breakpoint
CREATE TABLE `money_in` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`fund_id` integer NOT NULL,
	`received_on` text NOT NULL,
	`amount` integer NOT NULL,
	`source` text NOT NULL,
	`label` text,
	`created_by` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`fund_id`) REFERENCES `funds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "money_in_amount" CHECK("money_in"."amount" BETWEEN 1 AND 10000000000),
	CONSTRAINT "money_in_source" CHECK("money_in"."source" IN ('individual', 'grant', 'corporate', 'other')),
	CONSTRAINT "money_in_date" CHECK("money_in"."received_on" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
);
--> statement-breakpoint
CREATE INDEX `money_in_fund_idx` ON `money_in` (`fund_id`,`received_on`);--> statement-breakpoint
CREATE TABLE `identity_fingerprints` (
	`case_id` integer PRIMARY KEY NOT NULL,
	`organization_id` integer NOT NULL,
	`fingerprint` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `identity_fingerprints_fp_idx` ON `identity_fingerprints` (`fingerprint`,`organization_id`);--> statement-breakpoint
CREATE TABLE `person_match_decisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_a` integer NOT NULL,
	`case_b` integer NOT NULL,
	`decision` text NOT NULL,
	`decided_by` integer NOT NULL,
	`decided_at` text NOT NULL,
	FOREIGN KEY (`case_a`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`case_b`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "person_match_order" CHECK("person_match_decisions"."case_a" < "person_match_decisions"."case_b"),
	CONSTRAINT "person_match_decision" CHECK("person_match_decisions"."decision" IN ('same', 'different'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `person_match_pair_idx` ON `person_match_decisions` (`case_a`,`case_b`);