CREATE TABLE `bell_seen` (
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`seen_at` text NOT NULL,
	PRIMARY KEY(`user_id`, `kind`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "bell_seen_kind" CHECK("bell_seen"."kind" IN ('rejected', 'missing', 'pending', 'secondApproval'))
);
