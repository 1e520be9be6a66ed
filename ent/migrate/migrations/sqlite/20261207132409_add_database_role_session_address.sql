-- Add column "client_address" to table: "sessions"
ALTER TABLE `sessions` ADD COLUMN `client_address` text NULL;
-- Create "database_roles" table
CREATE TABLE `database_roles` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `role` text NOT NULL);
-- Set sequence for "database_roles" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("database_roles", 107374182400);
-- Create index "databaserole_role" to table: "database_roles"
CREATE UNIQUE INDEX `databaserole_role` ON `database_roles` (`role`);
