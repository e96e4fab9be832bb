-- Issue 6's promises, read from the journal (PostgreSQL) by `scripts/cluster audit` and by the
-- cluster tests. One row; every *_twice and doubled_charges must be 0, and not_final 0 once the
-- cluster has drained. Event types come from the serializer's manifest (the record's class).
WITH jobs AS (
  SELECT persistence_id,
    count(*) FILTER (WHERE event_ser_manifest LIKE '%JobEvent$Started') AS started,
    count(*) FILTER (WHERE event_ser_manifest LIKE '%JobEvent$Requeued') AS requeued,
    count(*) FILTER (WHERE event_ser_manifest LIKE '%JobEvent$Finished') AS finished,
    count(*) FILTER (WHERE event_ser_manifest LIKE '%JobEvent$Charged') AS charged
  FROM event_journal WHERE persistence_id LIKE 'Job|%' GROUP BY persistence_id
)
SELECT
  (SELECT count(*) FROM jobs) AS jobs,
  -- accepted, not ended (lost, or still queued or running)
  (SELECT count(*) FROM jobs WHERE finished = 0) AS not_final,
  -- a start not preceded by a re-queue of an interrupted run (R1, R29)
  (SELECT count(*) FROM jobs WHERE started > requeued + 1) AS started_twice,
  (SELECT count(*) FROM jobs WHERE finished > 1) AS finished_twice,
  (SELECT count(*) FROM jobs WHERE charged > 1) AS charged_twice,
  (SELECT coalesce(sum(requeued), 0) FROM jobs) AS requeued_runs,
  -- the ledgers' charges beyond what jobs and sessions recorded as charged (R27)
  (SELECT count(*) FROM event_journal WHERE persistence_id LIKE 'Ledger|%')
    - (SELECT coalesce(sum(charged), 0) FROM jobs)
    - (SELECT count(*) FROM event_journal WHERE persistence_id LIKE 'Session|%'
         AND event_ser_manifest LIKE '%SessionEvent$ChargeRecorded') AS doubled_charges;
