PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_users` (
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
	CONSTRAINT "users_role" CHECK("__new_users"."role" IN ('supporter', 'coordinator', 'auditor')),
	CONSTRAINT "users_locale" CHECK("__new_users"."locale" IN ('ja', 'ja-x-easy', 'en', 'vi', 'zh-Hans', 'fil', 'pt-BR', 'ne')),
	CONSTRAINT "users_admin_is_coordinator" CHECK("__new_users"."is_admin" = 0 OR "__new_users"."role" = 'coordinator')
);
--> statement-breakpoint
INSERT INTO `__new_users`("id", "organization_id", "email", "display_name", "role", "is_admin", "password_hash", "must_change_password", "locale", "is_active", "created_at", "updated_at") SELECT "id", "organization_id", "email", "display_name", "role", "is_admin", "password_hash", "must_change_password", "locale", "is_active", "created_at", "updated_at" FROM `users`;--> statement-breakpoint
DROP TABLE `users`;--> statement-breakpoint
ALTER TABLE `__new_users` RENAME TO `users`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE INDEX `users_organization_idx` ON `users` (`organization_id`);