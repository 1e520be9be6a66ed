-- Modify "management_requests" table
ALTER TABLE "management_requests" ADD COLUMN "message_id" character varying NULL;
-- Create index "management_requests_message_id_key" to table: "management_requests"
CREATE UNIQUE INDEX "management_requests_message_id_key" ON "management_requests" ("message_id");
