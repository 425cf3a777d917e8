CREATE TABLE `accounting_accounts` (
	`subject` text NOT NULL,
	`subject_key` text NOT NULL,
	`account` text NOT NULL,
	`updated_by` integer,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	PRIMARY KEY(`subject`, `subject_key`),
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "accounting_accounts_subject" CHECK("accounting_accounts"."subject" IN ('category', 'method', 'fund')),
	CONSTRAINT "accounting_accounts_account" CHECK(length(trim("accounting_accounts"."account")) BETWEEN 1 AND 64)
);
