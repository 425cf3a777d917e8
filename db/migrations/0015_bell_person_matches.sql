PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_bell_seen` (
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`seen_at` text NOT NULL,
	PRIMARY KEY(`user_id`, `kind`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "bell_seen_kind" CHECK("__new_bell_seen"."kind" IN ('rejected', 'missing', 'pending', 'secondApproval', 'personMatches'))
);
--> statement-breakpoint
INSERT INTO `__new_bell_seen`("user_id", "kind", "seen_at") SELECT "user_id", "kind", "seen_at" FROM `bell_seen`;--> statement-breakpoint
DROP TABLE `bell_seen`;--> statement-breakpoint
ALTER TABLE `__new_bell_seen` RENAME TO `bell_seen`;--> statement-breakpoint
PRAGMA foreign_keys=ON;