CREATE TABLE `import_batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`uploaded_by` integer NOT NULL,
	`file_name` text NOT NULL,
	`file_sha256` text NOT NULL,
	`format` text NOT NULL,
	`encoding` text,
	`sheet_name` text,
	`headers` text NOT NULL,
	`row_count` integer NOT NULL,
	`mapping` text,
	`preview` text,
	`status` text DEFAULT 'staged' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`committed_at` text,
	`confirmed_by` integer,
	`confirmed_at` text,
	`undone_by` integer,
	`undone_at` text,
	`undo_reason` text,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`confirmed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`undone_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "import_batches_status" CHECK("import_batches"."status" IN ('staged', 'committed', 'confirmed', 'undone')),
	CONSTRAINT "import_batches_rows" CHECK("import_batches"."row_count" BETWEEN 0 AND 50000),
	CONSTRAINT "import_batches_undo_reason" CHECK("import_batches"."status" <> 'undone' OR coalesce(length(trim("import_batches"."undo_reason")), 0) > 0)
);
--> statement-breakpoint
CREATE INDEX `import_batches_org_file_idx` ON `import_batches` (`organization_id`,`file_sha256`);--> statement-breakpoint
CREATE INDEX `import_batches_org_created_idx` ON `import_batches` (`organization_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `import_case_refs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`external_code` text NOT NULL,
	`case_id` integer NOT NULL,
	`batch_id` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`batch_id`) REFERENCES `import_batches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `import_case_refs_org_code_idx` ON `import_case_refs` (`organization_id`,`external_code`);--> statement-breakpoint
CREATE TABLE `import_mappings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`name` text NOT NULL,
	`mapping` text NOT NULL,
	`created_by` integer NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `import_mappings_org_name_idx` ON `import_mappings` (`organization_id`,`name`);--> statement-breakpoint
CREATE TABLE `import_rows` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`batch_id` integer NOT NULL,
	`row_number` integer NOT NULL,
	`cells` text NOT NULL,
	`row_hash` text,
	`problem` text,
	`is_duplicate` integer DEFAULT false NOT NULL,
	`disbursement_id` integer,
	FOREIGN KEY (`batch_id`) REFERENCES `import_batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`disbursement_id`) REFERENCES `disbursements`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `import_rows_batch_row_idx` ON `import_rows` (`batch_id`,`row_number`);--> statement-breakpoint
CREATE INDEX `import_rows_hash_idx` ON `import_rows` (`row_hash`);