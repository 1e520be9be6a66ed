-- Add column "deletion_request_id" to table: "certificates"
ALTER TABLE `certificates` ADD COLUMN `deletion_request_id` integer NULL;
-- Add column "unregistered_at" to table: "certificates"
ALTER TABLE `certificates` ADD COLUMN `unregistered_at` datetime NULL;
