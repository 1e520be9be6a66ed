-- Modify "certificates" table
ALTER TABLE "certificates" ADD COLUMN "deletion_request_id" bigint NULL, ADD COLUMN "unregistered_at" timestamptz NULL;
