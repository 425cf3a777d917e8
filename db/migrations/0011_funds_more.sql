CREATE TABLE `money_in_batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`fund_id` integer NOT NULL,
	`file_name` text NOT NULL,
	`file_sha256` text NOT NULL,
	`format` text NOT NULL,
	`encoding` text,
	`headers` text NOT NULL,
	`rows` text NOT NULL,
	`row_count` integer NOT NULL,
	`mapping` text,
	`preview` text,
	`status` text DEFAULT 'staged' NOT NULL,
	`uploaded_by` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`committed_at` text,
	FOREIGN KEY (`fund_id`) REFERENCES `funds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "money_in_batches_status" CHECK("money_in_batches"."status" IN ('staged', 'committed'))
);
--> statement-breakpoint
CREATE INDEX `money_in_batches_fund_idx` ON `money_in_batches` (`fund_id`,`file_sha256`);--> statement-breakpoint
CREATE TABLE `money_in_import_keys` (
	`money_in_id` integer PRIMARY KEY NOT NULL,
	`fund_id` integer NOT NULL,
	`batch_id` integer NOT NULL,
	`row_key` text NOT NULL,
	FOREIGN KEY (`money_in_id`) REFERENCES `money_in`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`fund_id`) REFERENCES `funds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`batch_id`) REFERENCES `money_in_batches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `money_in_import_keys_fund_key_idx` ON `money_in_import_keys` (`fund_id`,`row_key`);--> statement-breakpoint
CREATE TABLE `money_in_mappings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`mapping` text NOT NULL,
	`created_by` integer NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `money_in_mappings_name_idx` ON `money_in_mappings` (`name`);