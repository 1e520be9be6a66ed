-- Add column "soft_token_cluster_login" to table: "central_server_confs"
ALTER TABLE `central_server_confs` ADD COLUMN `soft_token_cluster_login` blob NULL;
-- Add column "generated_by" to table: "global_conf_versions"
ALTER TABLE `global_conf_versions` ADD COLUMN `generated_by` text NULL;
-- Create index "global_conf_versions_content_id_key" to table: "global_conf_versions"
CREATE UNIQUE INDEX `global_conf_versions_content_id_key` ON `global_conf_versions` (`content_id`);
-- Create "cluster_events" table
CREATE TABLE `cluster_events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `topic` text NOT NULL, `entity_id` integer NOT NULL DEFAULT (0), `origin` text NOT NULL);
-- Set sequence for "cluster_events" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("cluster_events", 111669149696);
-- Create index "clusterevent_created_at" to table: "cluster_events"
CREATE INDEX `clusterevent_created_at` ON `cluster_events` (`created_at`);
-- Create "cluster_leases" table
CREATE TABLE `cluster_leases` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `holder` text NOT NULL, `holder_node` text NOT NULL, `epoch` integer NOT NULL, `acquired_at` datetime NOT NULL, `expires_at` datetime NOT NULL);
-- Set sequence for "cluster_leases" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("cluster_leases", 115964116992);
-- Create index "cluster_leases_name_key" to table: "cluster_leases"
CREATE UNIQUE INDEX `cluster_leases_name_key` ON `cluster_leases` (`name`);
-- Create "cluster_nodes" table
CREATE TABLE `cluster_nodes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `run_id` text NOT NULL, `address` text NULL, `software_version` text NOT NULL, `started_at` datetime NOT NULL, `heartbeat_at` datetime NOT NULL, `stopped_at` datetime NULL, `signing_token_logged_in` bool NOT NULL DEFAULT (false));
-- Set sequence for "cluster_nodes" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("cluster_nodes", 120259084288);
-- Create index "cluster_nodes_name_key" to table: "cluster_nodes"
CREATE UNIQUE INDEX `cluster_nodes_name_key` ON `cluster_nodes` (`name`);
