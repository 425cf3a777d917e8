CREATE TABLE `share_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`period_from` text NOT NULL,
	`period_to` text NOT NULL,
	`expires_at` text NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`revoked_by` integer,
	`revoked_at` text,
	`open_count` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revoked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "share_links_period" CHECK("share_links"."period_from" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND "share_links"."period_to" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND "share_links"."period_from" <= "share_links"."period_to"),
	CONSTRAINT "share_links_token_hash" CHECK(length("share_links"."token_hash") = 64),
	CONSTRAINT "share_links_open_count" CHECK("share_links"."open_count" >= 0),
	CONSTRAINT "share_links_revoked" CHECK(("share_links"."revoked_at" IS NULL) = ("share_links"."revoked_by" IS NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `share_links_tokenHash_unique` ON `share_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `share_links_created_idx` ON `share_links` (`created_at`);