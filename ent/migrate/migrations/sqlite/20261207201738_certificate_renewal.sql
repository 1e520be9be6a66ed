-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_certificates" table
CREATE TABLE `new_certificates` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `der` blob NOT NULL, `sha256` text NOT NULL, `usage` text NOT NULL, `status` text NOT NULL, `active` bool NOT NULL DEFAULT (false), `ocsp_status` text NOT NULL DEFAULT ('DISABLED'), `ocsp_response` blob NULL, `ocsp_updated_at` datetime NULL, `ocsp_error` text NULL, `subject` text NOT NULL, `issuer` text NOT NULL, `serial_number` text NOT NULL, `not_before` datetime NOT NULL, `not_after` datetime NOT NULL, `member_id` text NULL, `management_request_id` integer NULL, `registered_address` text NULL, `decline_comment` text NULL, `acme_ca_name` text NULL, `deletion_request_id` integer NULL, `unregistered_at` datetime NULL, `renewal_certificate_id` integer NULL, `renewal_started_at` datetime NULL, `renewal_due_at` datetime NULL, `renewal_error` text NULL, `renewal_failures` integer NOT NULL DEFAULT (0), `renewal_retry_at` datetime NULL, `renews_sha256` text NULL, `expiry_warned_at` datetime NULL, `acme_account_id` integer NULL, `key_certificates` integer NOT NULL, CONSTRAINT `certificates_acme_accounts_certificates` FOREIGN KEY (`acme_account_id`) REFERENCES `acme_accounts` (`id`) ON DELETE SET NULL, CONSTRAINT `certificates_keys_certificates` FOREIGN KEY (`key_certificates`) REFERENCES `keys` (`id`) ON DELETE NO ACTION);
-- Set sequence for "new_certificates" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_certificates", 25769803776);
-- Copy rows from old table "certificates" to new temporary table "new_certificates"
INSERT INTO `new_certificates` (`id`, `created_at`, `updated_at`, `der`, `sha256`, `usage`, `status`, `active`, `ocsp_status`, `ocsp_response`, `ocsp_updated_at`, `ocsp_error`, `subject`, `issuer`, `serial_number`, `not_before`, `not_after`, `member_id`, `management_request_id`, `registered_address`, `decline_comment`, `acme_ca_name`, `deletion_request_id`, `unregistered_at`, `acme_account_id`, `key_certificates`) SELECT `id`, `created_at`, `updated_at`, `der`, `sha256`, `usage`, `status`, `active`, `ocsp_status`, `ocsp_response`, `ocsp_updated_at`, `ocsp_error`, `subject`, `issuer`, `serial_number`, `not_before`, `not_after`, `member_id`, `management_request_id`, `registered_address`, `decline_comment`, `acme_ca_name`, `deletion_request_id`, `unregistered_at`, `acme_account_id`, `key_certificates` FROM `certificates`;
-- Drop "certificates" table after copying rows
DROP TABLE `certificates`;
-- Rename temporary table "new_certificates" to "certificates"
ALTER TABLE `new_certificates` RENAME TO `certificates`;
-- Create index "certificates_sha256_key" to table: "certificates"
CREATE UNIQUE INDEX `certificates_sha256_key` ON `certificates` (`sha256`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
