-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_management_requests" table
CREATE TABLE `new_management_requests` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `request_id` integer NOT NULL, `type` text NOT NULL, `origin` text NOT NULL, `status` text NOT NULL DEFAULT ('WAITING'), `server_instance` text NOT NULL, `server_owner_class` text NOT NULL, `server_owner_code` text NOT NULL, `server_code` text NOT NULL, `address` text NULL, `auth_certificate` blob NULL, `auth_certificate_sha256` text NULL, `comments` text NULL, `created_by` text NULL, `client_address` text NULL, `message_id` text NULL, `management_request_paired_with` integer NULL, CONSTRAINT `management_requests_management_requests_paired_with` FOREIGN KEY (`management_request_paired_with`) REFERENCES `management_requests` (`id`) ON DELETE SET NULL);
-- Set sequence for "new_management_requests" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_management_requests", 55834574848);
-- Copy rows from old table "management_requests" to new temporary table "new_management_requests"
INSERT INTO `new_management_requests` (`id`, `created_at`, `updated_at`, `request_id`, `type`, `origin`, `status`, `server_instance`, `server_owner_class`, `server_owner_code`, `server_code`, `address`, `auth_certificate`, `auth_certificate_sha256`, `comments`, `created_by`, `client_address`, `management_request_paired_with`) SELECT `id`, `created_at`, `updated_at`, `request_id`, `type`, `origin`, `status`, `server_instance`, `server_owner_class`, `server_owner_code`, `server_code`, `address`, `auth_certificate`, `auth_certificate_sha256`, `comments`, `created_by`, `client_address`, `management_request_paired_with` FROM `management_requests`;
-- Drop "management_requests" table after copying rows
DROP TABLE `management_requests`;
-- Rename temporary table "new_management_requests" to "management_requests"
ALTER TABLE `new_management_requests` RENAME TO `management_requests`;
-- Create index "management_requests_request_id_key" to table: "management_requests"
CREATE UNIQUE INDEX `management_requests_request_id_key` ON `management_requests` (`request_id`);
-- Create index "management_requests_message_id_key" to table: "management_requests"
CREATE UNIQUE INDEX `management_requests_message_id_key` ON `management_requests` (`message_id`);
-- Create index "management_requests_management_request_paired_with_key" to table: "management_requests"
CREATE UNIQUE INDEX `management_requests_management_request_paired_with_key` ON `management_requests` (`management_request_paired_with`);
-- Create index "managementrequest_auth_certificate_sha256_status" to table: "management_requests"
CREATE INDEX `managementrequest_auth_certificate_sha256_status` ON `management_requests` (`auth_certificate_sha256`, `status`);
-- Create index "managementrequest_status_created_at" to table: "management_requests"
CREATE INDEX `managementrequest_status_created_at` ON `management_requests` (`status`, `created_at`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
