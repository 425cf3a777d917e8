CREATE TABLE `mail_install` (
	`id` integer PRIMARY KEY NOT NULL,
	`install_id` text NOT NULL,
	CONSTRAINT "mail_install_single" CHECK("mail_install"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `mail_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`recipient_user_id` integer NOT NULL,
	`to_address` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`dedupe_key` text,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`recipient_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "mail_outbox_kind" CHECK("mail_outbox"."kind" IN ('rejection', 'receiptReminder', 'digest')),
	CONSTRAINT "mail_outbox_status" CHECK("mail_outbox"."status" IN ('queued', 'sent', 'failed')),
	CONSTRAINT "mail_outbox_attempts" CHECK("mail_outbox"."attempts" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mail_outbox_dedupeKey_unique` ON `mail_outbox` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `mail_outbox_due_idx` ON `mail_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `mail_preferences` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`is_enabled` integer DEFAULT false NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `mail_install` (`id`, `install_id`) VALUES (1, lower(hex(randomblob(8))));
--> statement-breakpoint
CREATE TABLE `bell_seen` (
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`seen_at` text NOT NULL,
	PRIMARY KEY(`user_id`, `kind`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "bell_seen_kind" CHECK("bell_seen"."kind" IN ('rejected', 'missing', 'pending', 'secondApproval'))
);
