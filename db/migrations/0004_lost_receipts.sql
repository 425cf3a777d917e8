CREATE TABLE `lost_receipt_declarations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`disbursement_id` integer NOT NULL,
	`reason` text NOT NULL,
	`amount_confirmed` integer NOT NULL,
	`received_by` text NOT NULL,
	`declared_by` integer NOT NULL,
	`declared_at` text NOT NULL,
	`accepted_by` integer,
	`accepted_at` text,
	FOREIGN KEY (`disbursement_id`) REFERENCES `disbursements`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`declared_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`accepted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "lost_receipt_reason" CHECK(length(trim("lost_receipt_declarations"."reason")) BETWEEN 1 AND 1000),
	CONSTRAINT "lost_receipt_amount" CHECK("lost_receipt_declarations"."amount_confirmed" > 0),
	CONSTRAINT "lost_receipt_received_by" CHECK("lost_receipt_declarations"."received_by" IN ('person', 'household_member', 'provider', 'other'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lost_receipt_declarations_disbursementId_unique` ON `lost_receipt_declarations` (`disbursement_id`);