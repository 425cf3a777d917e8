CREATE TABLE `upload_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`storage_name` text NOT NULL,
	`media_type` text NOT NULL,
	`byte_size` integer NOT NULL,
	`source_sha256` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "upload_tokens_media_type" CHECK("upload_tokens"."media_type" IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
	CONSTRAINT "upload_tokens_size" CHECK("upload_tokens"."byte_size" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `upload_tokens_storageName_unique` ON `upload_tokens` (`storage_name`);--> statement-breakpoint
CREATE INDEX `upload_tokens_session_idx` ON `upload_tokens` (`session_id`);--> statement-breakpoint
CREATE INDEX `upload_tokens_expires_idx` ON `upload_tokens` (`expires_at`);