-- Create "api_keys" table
CREATE TABLE `api_keys` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `key_hash` text NOT NULL, `name` text NULL, `roles` json NOT NULL, `revoked_at` datetime NULL);
-- Create index "api_keys_key_hash_key" to table: "api_keys"
CREATE UNIQUE INDEX `api_keys_key_hash_key` ON `api_keys` (`key_hash`);
-- Create "approved_certification_services" table
CREATE TABLE `approved_certification_services` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `certificate` blob NOT NULL, `sha256` text NOT NULL, `subject_dn` text NOT NULL, `issuer_dn` text NOT NULL, `not_before` datetime NOT NULL, `not_after` datetime NOT NULL, `authentication_only` bool NOT NULL DEFAULT (false), `certificate_profile_info` text NOT NULL);
-- Set sequence for "approved_certification_services" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("approved_certification_services", 4294967296);
-- Create index "approved_certification_services_sha256_key" to table: "approved_certification_services"
CREATE UNIQUE INDEX `approved_certification_services_sha256_key` ON `approved_certification_services` (`sha256`);
-- Create "approved_timestamping_authorities" table
CREATE TABLE `approved_timestamping_authorities` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `url` text NOT NULL, `certificate` blob NOT NULL, `sha256` text NOT NULL, `not_before` datetime NOT NULL, `not_after` datetime NOT NULL);
-- Set sequence for "approved_timestamping_authorities" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("approved_timestamping_authorities", 8589934592);
-- Create index "approvedtimestampingauthority_url_sha256" to table: "approved_timestamping_authorities"
CREATE UNIQUE INDEX `approvedtimestampingauthority_url_sha256` ON `approved_timestamping_authorities` (`url`, `sha256`);
-- Create "audit_events" table
CREATE TABLE `audit_events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `event` text NOT NULL, `actor` text NOT NULL, `success` bool NOT NULL DEFAULT (true), `data` text NULL);
-- Set sequence for "audit_events" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("audit_events", 12884901888);
-- Create index "auditevent_created_at" to table: "audit_events"
CREATE INDEX `auditevent_created_at` ON `audit_events` (`created_at`);
-- Create "auth_certificates" table
CREATE TABLE `auth_certificates` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `certificate` blob NOT NULL, `sha256` text NOT NULL, `subject` text NOT NULL, `issuer` text NOT NULL, `serial_number` text NOT NULL, `not_before` datetime NOT NULL, `not_after` datetime NOT NULL, `security_server_auth_certificates` integer NOT NULL, CONSTRAINT `auth_certificates_security_servers_auth_certificates` FOREIGN KEY (`security_server_auth_certificates`) REFERENCES `security_servers` (`id`) ON DELETE NO ACTION);
-- Set sequence for "auth_certificates" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("auth_certificates", 17179869184);
-- Create index "auth_certificates_sha256_key" to table: "auth_certificates"
CREATE UNIQUE INDEX `auth_certificates_sha256_key` ON `auth_certificates` (`sha256`);
-- Create "central_server_confs" table
CREATE TABLE `central_server_confs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `instance_identifier` text NOT NULL, `central_server_address` text NOT NULL, `soft_token_state` blob NOT NULL, `management_service_provider_class` text NOT NULL, `management_service_provider_code` text NOT NULL, `management_service_provider_subsystem` text NOT NULL, `management_tls_certificate` blob NOT NULL, `management_tls_key` blob NOT NULL, `conf_generation_failing_since` datetime NULL, `conf_generation_error` text NULL);
-- Set sequence for "central_server_confs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("central_server_confs", 21474836480);
-- Create "certificates" table
CREATE TABLE `certificates` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `der` blob NOT NULL, `sha256` text NOT NULL, `usage` text NOT NULL, `status` text NOT NULL, `active` bool NOT NULL DEFAULT (false), `ocsp_status` text NOT NULL DEFAULT ('DISABLED'), `ocsp_response` blob NULL, `ocsp_updated_at` datetime NULL, `ocsp_error` text NULL, `subject` text NOT NULL, `issuer` text NOT NULL, `serial_number` text NOT NULL, `not_before` datetime NOT NULL, `not_after` datetime NOT NULL, `member_id` text NULL, `management_request_id` integer NULL, `registered_address` text NULL, `decline_comment` text NULL, `key_certificates` integer NOT NULL, CONSTRAINT `certificates_keys_certificates` FOREIGN KEY (`key_certificates`) REFERENCES `keys` (`id`) ON DELETE NO ACTION);
-- Set sequence for "certificates" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("certificates", 25769803776);
-- Create index "certificates_sha256_key" to table: "certificates"
CREATE UNIQUE INDEX `certificates_sha256_key` ON `certificates` (`sha256`);
-- Create "certificate_signing_requests" table
CREATE TABLE `certificate_signing_requests` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `usage` text NOT NULL, `member_id` text NULL, `ca_name` text NOT NULL, `subject` text NOT NULL, `der` blob NOT NULL, `key_csrs` integer NOT NULL, CONSTRAINT `certificate_signing_requests_keys_csrs` FOREIGN KEY (`key_csrs`) REFERENCES `keys` (`id`) ON DELETE NO ACTION);
-- Set sequence for "certificate_signing_requests" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("certificate_signing_requests", 30064771072);
-- Create "configuration_signing_keys" table
CREATE TABLE `configuration_signing_keys` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `key_id` text NOT NULL, `source_type` text NOT NULL DEFAULT ('INTERNAL'), `algorithm` text NOT NULL, `certificate` blob NOT NULL, `key_blob` blob NOT NULL, `active` bool NOT NULL DEFAULT (false));
-- Set sequence for "configuration_signing_keys" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("configuration_signing_keys", 34359738368);
-- Create index "configuration_signing_keys_key_id_key" to table: "configuration_signing_keys"
CREATE UNIQUE INDEX `configuration_signing_keys_key_id_key` ON `configuration_signing_keys` (`key_id`);
-- Create "downloaded_confs" table
CREATE TABLE `downloaded_confs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `instance_identifier` text NOT NULL, `version` integer NOT NULL, `source_url` text NOT NULL, `directory` blob NOT NULL, `shared_parameters` blob NOT NULL, `private_parameters` blob NOT NULL, `expires_at` datetime NOT NULL, `downloaded_at` datetime NOT NULL, `last_attempt_at` datetime NULL, `failing_since` datetime NULL, `error` text NULL);
-- Set sequence for "downloaded_confs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("downloaded_confs", 38654705664);
-- Create index "downloaded_confs_instance_identifier_key" to table: "downloaded_confs"
CREATE UNIQUE INDEX `downloaded_confs_instance_identifier_key` ON `downloaded_confs` (`instance_identifier`);
-- Create "global_conf_versions" table
CREATE TABLE `global_conf_versions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `version` integer NOT NULL, `content_id` text NOT NULL, `hash` text NOT NULL, `generated_at` datetime NOT NULL, `expires_at` datetime NOT NULL, `directory` blob NOT NULL, `shared_parameters` blob NOT NULL, `private_parameters` blob NOT NULL);
-- Set sequence for "global_conf_versions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("global_conf_versions", 42949672960);
-- Create index "global_conf_versions_version_key" to table: "global_conf_versions"
CREATE UNIQUE INDEX `global_conf_versions_version_key` ON `global_conf_versions` (`version`);
-- Create "global_groups" table
CREATE TABLE `global_groups` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `code` text NOT NULL, `description` text NOT NULL);
-- Set sequence for "global_groups" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("global_groups", 47244640256);
-- Create index "global_groups_code_key" to table: "global_groups"
CREATE UNIQUE INDEX `global_groups_code_key` ON `global_groups` (`code`);
-- Create "keys" table
CREATE TABLE `keys` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `key_id` text NOT NULL, `label` text NULL, `usage` text NULL, `algorithm` text NOT NULL, `public_key` blob NOT NULL, `private_key_blob` blob NULL, `token_keys` integer NOT NULL, CONSTRAINT `keys_tokens_keys` FOREIGN KEY (`token_keys`) REFERENCES `tokens` (`id`) ON DELETE NO ACTION);
-- Set sequence for "keys" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("keys", 51539607552);
-- Create index "key_key_id_token_keys" to table: "keys"
CREATE UNIQUE INDEX `key_key_id_token_keys` ON `keys` (`key_id`, `token_keys`);
-- Create "management_requests" table
CREATE TABLE `management_requests` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `request_id` integer NOT NULL, `type` text NOT NULL, `origin` text NOT NULL, `status` text NOT NULL DEFAULT ('WAITING'), `server_instance` text NOT NULL, `server_owner_class` text NOT NULL, `server_owner_code` text NOT NULL, `server_code` text NOT NULL, `address` text NULL, `auth_certificate` blob NULL, `auth_certificate_sha256` text NULL, `comments` text NULL, `created_by` text NULL, `client_address` text NULL, `management_request_paired_with` integer NULL, CONSTRAINT `management_requests_management_requests_paired_with` FOREIGN KEY (`management_request_paired_with`) REFERENCES `management_requests` (`id`) ON DELETE SET NULL);
-- Set sequence for "management_requests" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("management_requests", 55834574848);
-- Create index "management_requests_request_id_key" to table: "management_requests"
CREATE UNIQUE INDEX `management_requests_request_id_key` ON `management_requests` (`request_id`);
-- Create index "management_requests_management_request_paired_with_key" to table: "management_requests"
CREATE UNIQUE INDEX `management_requests_management_request_paired_with_key` ON `management_requests` (`management_request_paired_with`);
-- Create index "managementrequest_auth_certificate_sha256_status" to table: "management_requests"
CREATE INDEX `managementrequest_auth_certificate_sha256_status` ON `management_requests` (`auth_certificate_sha256`, `status`);
-- Create index "managementrequest_status_created_at" to table: "management_requests"
CREATE INDEX `managementrequest_status_created_at` ON `management_requests` (`status`, `created_at`);
-- Create "members" table
CREATE TABLE `members` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `member_code` text NOT NULL, `name` text NOT NULL, `member_class_members` integer NOT NULL, CONSTRAINT `members_member_classes_members` FOREIGN KEY (`member_class_members`) REFERENCES `member_classes` (`id`) ON DELETE NO ACTION);
-- Set sequence for "members" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("members", 60129542144);
-- Create index "member_member_code_member_class_members" to table: "members"
CREATE UNIQUE INDEX `member_member_code_member_class_members` ON `members` (`member_code`, `member_class_members`);
-- Create "member_classes" table
CREATE TABLE `member_classes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `code` text NOT NULL, `description` text NOT NULL);
-- Set sequence for "member_classes" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("member_classes", 64424509440);
-- Create index "member_classes_code_key" to table: "member_classes"
CREATE UNIQUE INDEX `member_classes_code_key` ON `member_classes` (`code`);
-- Create index "member_classes_description_key" to table: "member_classes"
CREATE UNIQUE INDEX `member_classes_description_key` ON `member_classes` (`description`);
-- Create "ocsp_responders" table
CREATE TABLE `ocsp_responders` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `url` text NOT NULL, `certificate` blob NULL, `approved_certification_service_ocsp_responders` integer NOT NULL, CONSTRAINT `ocsp_responders_approved_certification_services_ocsp_responders` FOREIGN KEY (`approved_certification_service_ocsp_responders`) REFERENCES `approved_certification_services` (`id`) ON DELETE NO ACTION);
-- Set sequence for "ocsp_responders" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("ocsp_responders", 68719476736);
-- Create "security_servers" table
CREATE TABLE `security_servers` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `server_code` text NOT NULL, `address` text NULL, `member_owned_servers` integer NOT NULL, CONSTRAINT `security_servers_members_owned_servers` FOREIGN KEY (`member_owned_servers`) REFERENCES `members` (`id`) ON DELETE NO ACTION);
-- Set sequence for "security_servers" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("security_servers", 73014444032);
-- Create index "securityserver_server_code_member_owned_servers" to table: "security_servers"
CREATE UNIQUE INDEX `securityserver_server_code_member_owned_servers` ON `security_servers` (`server_code`, `member_owned_servers`);
-- Create "security_server_confs" table
CREATE TABLE `security_server_confs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `instance_identifier` text NOT NULL, `anchor` blob NOT NULL, `anchor_hash` text NOT NULL, `anchor_generated_at` datetime NOT NULL, `server_code` text NULL, `initialized_at` datetime NULL, `security_server_conf_owner` integer NULL, CONSTRAINT `security_server_confs_server_clients_owner` FOREIGN KEY (`security_server_conf_owner`) REFERENCES `server_clients` (`id`) ON DELETE SET NULL);
-- Set sequence for "security_server_confs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("security_server_confs", 77309411328);
-- Create "server_clients" table
CREATE TABLE `server_clients` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `instance` text NOT NULL, `member_class` text NOT NULL, `member_code` text NOT NULL, `subsystem_code` text NOT NULL DEFAULT (''), `status` text NOT NULL DEFAULT ('SAVED'));
-- Set sequence for "server_clients" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("server_clients", 81604378624);
-- Create index "serverclient_instance_member_class_member_code_subsystem_code" to table: "server_clients"
CREATE UNIQUE INDEX `serverclient_instance_member_class_member_code_subsystem_code` ON `server_clients` (`instance`, `member_class`, `member_code`, `subsystem_code`);
-- Create "sessions" table
CREATE TABLE `sessions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `token_hash` text NOT NULL, `last_seen_at` datetime NOT NULL, `expires_at` datetime NOT NULL, `user_sessions` integer NOT NULL, CONSTRAINT `sessions_users_sessions` FOREIGN KEY (`user_sessions`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Set sequence for "sessions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("sessions", 85899345920);
-- Create index "sessions_token_hash_key" to table: "sessions"
CREATE UNIQUE INDEX `sessions_token_hash_key` ON `sessions` (`token_hash`);
-- Create "subsystems" table
CREATE TABLE `subsystems` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `subsystem_code` text NOT NULL, `name` text NULL, `member_subsystems` integer NOT NULL, CONSTRAINT `subsystems_members_subsystems` FOREIGN KEY (`member_subsystems`) REFERENCES `members` (`id`) ON DELETE NO ACTION);
-- Set sequence for "subsystems" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("subsystems", 90194313216);
-- Create index "subsystem_subsystem_code_member_subsystems" to table: "subsystems"
CREATE UNIQUE INDEX `subsystem_subsystem_code_member_subsystems` ON `subsystems` (`subsystem_code`, `member_subsystems`);
-- Create "timestamping_services" table
CREATE TABLE `timestamping_services` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `url` text NOT NULL);
-- Set sequence for "timestamping_services" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("timestamping_services", 94489280512);
-- Create index "timestampingservice_name_url" to table: "timestamping_services"
CREATE UNIQUE INDEX `timestampingservice_name_url` ON `timestamping_services` (`name`, `url`);
-- Create "tokens" table
CREATE TABLE `tokens` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `token_id` text NOT NULL, `name` text NOT NULL, `type` text NOT NULL, `soft_token_state` blob NULL, `module_path` text NULL, `serial_number` text NULL, `label` text NULL);
-- Set sequence for "tokens" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("tokens", 98784247808);
-- Create index "tokens_token_id_key" to table: "tokens"
CREATE UNIQUE INDEX `tokens_token_id_key` ON `tokens` (`token_id`);
-- Create "users" table
CREATE TABLE `users` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `username` text NOT NULL, `password_hash` text NOT NULL, `roles` json NOT NULL, `disabled` bool NOT NULL DEFAULT (false));
-- Set sequence for "users" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("users", 103079215104);
-- Create index "users_username_key" to table: "users"
CREATE UNIQUE INDEX `users_username_key` ON `users` (`username`);
-- Create "global_group_members" table
CREATE TABLE `global_group_members` (`global_group_id` integer NOT NULL, `member_id` integer NOT NULL, PRIMARY KEY (`global_group_id`, `member_id`), CONSTRAINT `global_group_members_global_group_id` FOREIGN KEY (`global_group_id`) REFERENCES `global_groups` (`id`) ON DELETE CASCADE, CONSTRAINT `global_group_members_member_id` FOREIGN KEY (`member_id`) REFERENCES `members` (`id`) ON DELETE CASCADE);
