-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "acme_accounts" table
CREATE TABLE `acme_accounts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `ca_name` text NOT NULL, `member_id` text NOT NULL, `key_usage` text NULL, `contact_email` text NULL, `eab_key_id` text NULL, `eab_mac_key` blob NULL, `directory_url` text NULL, `account_url` text NULL, `account_key` blob NULL);
-- Set sequence for "acme_accounts" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("acme_accounts", 124554051584);
-- Create index "acmeaccount_ca_name_member_id_key_usage" to table: "acme_accounts"
CREATE UNIQUE INDEX `acmeaccount_ca_name_member_id_key_usage` ON `acme_accounts` (`ca_name`, `member_id`, `key_usage`);
-- Create "new_approved_certification_services" table
CREATE TABLE `new_approved_certification_services` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `certificate` blob NOT NULL, `sha256` text NOT NULL, `subject_dn` text NOT NULL, `issuer_dn` text NOT NULL, `not_before` datetime NOT NULL, `not_after` datetime NOT NULL, `authentication_only` bool NOT NULL DEFAULT (false), `certificate_profile_info` text NOT NULL, `default_csr_format` text NOT NULL DEFAULT ('PEM'), `acme_server_directory_url` text NULL, `acme_server_ip_address` text NULL, `authentication_certificate_profile_id` text NULL, `signing_certificate_profile_id` text NULL);
-- Set sequence for "new_approved_certification_services" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_approved_certification_services", 4294967296);
-- Copy rows from old table "approved_certification_services" to new temporary table "new_approved_certification_services"
INSERT INTO `new_approved_certification_services` (`id`, `created_at`, `updated_at`, `name`, `certificate`, `sha256`, `subject_dn`, `issuer_dn`, `not_before`, `not_after`, `authentication_only`, `certificate_profile_info`) SELECT `id`, `created_at`, `updated_at`, `name`, `certificate`, `sha256`, `subject_dn`, `issuer_dn`, `not_before`, `not_after`, `authentication_only`, `certificate_profile_info` FROM `approved_certification_services`;
-- Drop "approved_certification_services" table after copying rows
DROP TABLE `approved_certification_services`;
-- Rename temporary table "new_approved_certification_services" to "approved_certification_services"
ALTER TABLE `new_approved_certification_services` RENAME TO `approved_certification_services`;
-- Create index "approved_certification_services_sha256_key" to table: "approved_certification_services"
CREATE UNIQUE INDEX `approved_certification_services_sha256_key` ON `approved_certification_services` (`sha256`);
-- Create "new_certificates" table
CREATE TABLE `new_certificates` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `der` blob NOT NULL, `sha256` text NOT NULL, `usage` text NOT NULL, `status` text NOT NULL, `active` bool NOT NULL DEFAULT (false), `ocsp_status` text NOT NULL DEFAULT ('DISABLED'), `ocsp_response` blob NULL, `ocsp_updated_at` datetime NULL, `ocsp_error` text NULL, `subject` text NOT NULL, `issuer` text NOT NULL, `serial_number` text NOT NULL, `not_before` datetime NOT NULL, `not_after` datetime NOT NULL, `member_id` text NULL, `management_request_id` integer NULL, `registered_address` text NULL, `decline_comment` text NULL, `acme_ca_name` text NULL, `deletion_request_id` integer NULL, `unregistered_at` datetime NULL, `acme_account_id` integer NULL, `key_certificates` integer NOT NULL, CONSTRAINT `certificates_acme_accounts_certificates` FOREIGN KEY (`acme_account_id`) REFERENCES `acme_accounts` (`id`) ON DELETE SET NULL, CONSTRAINT `certificates_keys_certificates` FOREIGN KEY (`key_certificates`) REFERENCES `keys` (`id`) ON DELETE NO ACTION);
-- Set sequence for "new_certificates" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_certificates", 25769803776);
-- Copy rows from old table "certificates" to new temporary table "new_certificates"
INSERT INTO `new_certificates` (`id`, `created_at`, `updated_at`, `der`, `sha256`, `usage`, `status`, `active`, `ocsp_status`, `ocsp_response`, `ocsp_updated_at`, `ocsp_error`, `subject`, `issuer`, `serial_number`, `not_before`, `not_after`, `member_id`, `management_request_id`, `registered_address`, `decline_comment`, `deletion_request_id`, `unregistered_at`, `key_certificates`) SELECT `id`, `created_at`, `updated_at`, `der`, `sha256`, `usage`, `status`, `active`, `ocsp_status`, `ocsp_response`, `ocsp_updated_at`, `ocsp_error`, `subject`, `issuer`, `serial_number`, `not_before`, `not_after`, `member_id`, `management_request_id`, `registered_address`, `decline_comment`, `deletion_request_id`, `unregistered_at`, `key_certificates` FROM `certificates`;
-- Drop "certificates" table after copying rows
DROP TABLE `certificates`;
-- Rename temporary table "new_certificates" to "certificates"
ALTER TABLE `new_certificates` RENAME TO `certificates`;
-- Create index "certificates_sha256_key" to table: "certificates"
CREATE UNIQUE INDEX `certificates_sha256_key` ON `certificates` (`sha256`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
