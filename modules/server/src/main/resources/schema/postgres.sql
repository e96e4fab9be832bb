-- The akka-persistence-jdbc 5.2.1 tables for PostgreSQL, owned by Lanes (Storage.createSchema).
-- The same tables and columns as the plugin's schema/postgres/postgres-create-schema.sql, with:
--  * IF NOT EXISTS on every index too: the plugin's ordering index fails on a second run (and
--    SchemaUtils only logs that at DEBUG), so every start can run this file;
--  * the durable_state indexes built plainly, not CONCURRENTLY: CONCURRENTLY cannot run inside
--    a transaction block nor twice, and Lanes keeps no durable state (the table stays empty).
-- Storage.createSchema runs each statement in its own transaction under an advisory lock, so
-- nodes of a cluster that start together do not race on the catalogue.
CREATE TABLE IF NOT EXISTS public.event_journal(
  ordering BIGSERIAL,
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  deleted BOOLEAN DEFAULT FALSE NOT NULL,

  writer VARCHAR(255) NOT NULL,
  write_timestamp BIGINT,
  adapter_manifest VARCHAR(255),

  event_ser_id INTEGER NOT NULL,
  event_ser_manifest VARCHAR(255) NOT NULL,
  event_payload BYTEA NOT NULL,

  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BYTEA,

  PRIMARY KEY(persistence_id, sequence_number)
);

CREATE UNIQUE INDEX IF NOT EXISTS event_journal_ordering_idx ON public.event_journal(ordering);

CREATE TABLE IF NOT EXISTS public.event_tag(
    event_id BIGINT,
    tag VARCHAR(256),
    PRIMARY KEY(event_id, tag),
    CONSTRAINT fk_event_journal
      FOREIGN KEY(event_id)
      REFERENCES event_journal(ordering)
      ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS public.snapshot (
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  created BIGINT NOT NULL,

  snapshot_ser_id INTEGER NOT NULL,
  snapshot_ser_manifest VARCHAR(255) NOT NULL,
  snapshot_payload BYTEA NOT NULL,

  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BYTEA,

  PRIMARY KEY(persistence_id, sequence_number)
);

CREATE TABLE IF NOT EXISTS public.durable_state (
    global_offset BIGSERIAL,
    persistence_id VARCHAR(255) NOT NULL,
    revision BIGINT NOT NULL,
    state_payload BYTEA NOT NULL,
    state_serial_id INTEGER NOT NULL,
    state_serial_manifest VARCHAR(255),
    tag VARCHAR,
    state_timestamp BIGINT NOT NULL,
    PRIMARY KEY(persistence_id)
    );
CREATE INDEX IF NOT EXISTS state_tag_idx on public.durable_state (tag);
CREATE INDEX IF NOT EXISTS state_global_offset_idx on public.durable_state (global_offset);

-- Lanes' audit log (issue 8): every state-changing call, written by JdbcAuditLog before it is
-- answered, by every node of a cluster into this one table; at_millis is epoch milliseconds
-- (server time of the node in "node"). Not a plugin table.
CREATE TABLE IF NOT EXISTS public.lanes_audit (
  id BIGSERIAL PRIMARY KEY,
  at_millis BIGINT NOT NULL,
  node VARCHAR(255),
  user_id VARCHAR(255),
  instance VARCHAR(255),
  admin BOOLEAN NOT NULL,
  method VARCHAR(16) NOT NULL,
  path VARCHAR(1024) NOT NULL,
  action VARCHAR(64) NOT NULL,
  object_id VARCHAR(255),
  backend VARCHAR(255),
  status INTEGER NOT NULL,
  trace VARCHAR(64)
);
CREATE INDEX IF NOT EXISTS lanes_audit_at_idx ON public.lanes_audit (at_millis);
CREATE INDEX IF NOT EXISTS lanes_audit_object_idx ON public.lanes_audit (object_id);
