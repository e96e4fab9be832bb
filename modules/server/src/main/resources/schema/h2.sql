-- The akka-persistence-jdbc 5.2.1 tables for embedded H2, owned by Lanes (Storage.createSchema).
-- Differences from the plugin's schema/h2/h2-create-schema.sql, and why:
--  * payloads are VARBINARY, not BLOB: H2 stores every BLOB value of a row first as a temporary
--    LOB, copies it and queues the temporary one for its cleaner thread; at hundreds of writes a
--    second that cleaner is always busy and every transaction's end builds and throws a
--    RejectedExecutionException. A VARBINARY value is stored in the row. (Same bytes to Slick.)
--  * no second unique index on "ordering": its UNIQUE constraint already has one, and every
--    insert paid for both.
--  * every statement can run again on an existing database (IF NOT EXISTS throughout).
CREATE TABLE IF NOT EXISTS "event_journal" (
    "ordering" BIGINT UNIQUE NOT NULL AUTO_INCREMENT,
    "deleted" BOOLEAN DEFAULT false NOT NULL,
    "persistence_id" VARCHAR(255) NOT NULL,
    "sequence_number" BIGINT NOT NULL,
    "writer" VARCHAR NOT NULL,
    "write_timestamp" BIGINT NOT NULL,
    "adapter_manifest" VARCHAR NOT NULL,
    "event_payload" VARBINARY NOT NULL,
    "event_ser_id" INTEGER NOT NULL,
    "event_ser_manifest" VARCHAR NOT NULL,
    "meta_payload" VARBINARY,
    "meta_ser_id" INTEGER,
    "meta_ser_manifest" VARCHAR,
    PRIMARY KEY("persistence_id","sequence_number")
    );

CREATE TABLE IF NOT EXISTS "event_tag" (
    "event_id" BIGINT NOT NULL,
    "tag" VARCHAR NOT NULL,
    PRIMARY KEY("event_id", "tag"),
    CONSTRAINT fk_event_journal
      FOREIGN KEY("event_id")
      REFERENCES "event_journal"("ordering")
      ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS "snapshot" (
    "persistence_id" VARCHAR(255) NOT NULL,
    "sequence_number" BIGINT NOT NULL,
    "created" BIGINT NOT NULL,
    "snapshot_ser_id" INTEGER NOT NULL,
    "snapshot_ser_manifest" VARCHAR NOT NULL,
    "snapshot_payload" VARBINARY NOT NULL,
    "meta_ser_id" INTEGER,
    "meta_ser_manifest" VARCHAR,
    "meta_payload" VARBINARY,
    PRIMARY KEY("persistence_id","sequence_number")
    );

CREATE SEQUENCE IF NOT EXISTS "global_offset_seq";

CREATE TABLE IF NOT EXISTS "durable_state" (
    "global_offset" BIGINT DEFAULT NEXT VALUE FOR "global_offset_seq",
    "persistence_id" VARCHAR(255) NOT NULL,
    "revision" BIGINT NOT NULL,
    "state_payload" VARBINARY NOT NULL,
    "state_serial_id" INTEGER NOT NULL,
    "state_serial_manifest" VARCHAR,
    "tag" VARCHAR,
    "state_timestamp" BIGINT NOT NULL,
    PRIMARY KEY("persistence_id")
    );
CREATE INDEX IF NOT EXISTS "state_tag_idx" on "durable_state" ("tag");
CREATE INDEX IF NOT EXISTS "state_global_offset_idx" on "durable_state" ("global_offset");

-- Lanes' audit log (issue 8): every state-changing call, written by JdbcAuditLog before it is
-- answered; at_millis is epoch milliseconds (server time). Not a plugin table.
CREATE TABLE IF NOT EXISTS "lanes_audit" (
    "id" BIGINT AUTO_INCREMENT PRIMARY KEY,
    "at_millis" BIGINT NOT NULL,
    "node" VARCHAR(255),
    "user_id" VARCHAR(255),
    "instance" VARCHAR(255),
    "admin" BOOLEAN NOT NULL,
    "method" VARCHAR(16) NOT NULL,
    "path" VARCHAR(1024) NOT NULL,
    "action" VARCHAR(64) NOT NULL,
    "object_id" VARCHAR(255),
    "backend" VARCHAR(255),
    "status" INTEGER NOT NULL,
    "trace" VARCHAR(64)
    );
CREATE INDEX IF NOT EXISTS "lanes_audit_at_idx" ON "lanes_audit" ("at_millis");
CREATE INDEX IF NOT EXISTS "lanes_audit_object_idx" ON "lanes_audit" ("object_id");
