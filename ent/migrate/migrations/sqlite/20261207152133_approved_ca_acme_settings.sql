-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
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
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
