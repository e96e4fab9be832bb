package dev.lanes.core.limits;

import dev.lanes.core.job.JobEvent;
import dev.lanes.core.job.JobState;
import dev.lanes.core.model.Rejection;
import dev.lanes.core.session.SessionEvent;
import dev.lanes.core.session.SessionView;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * api.md "Conventions", issue 8 item 3: a {@code POST /jobs} or {@code POST /sessions} carrying an
 * {@code Idempotency-Key} already used by the same instance within the key's time to live returns
 * the first answer and creates nothing; the same key with a different request is refused (422); a
 * key whose first use is {@code ttl} or more ago is forgotten, and the request creates anew.
 *
 * <p>The key is remembered by what it created: the job (or session) whose id is derived from the
 * instance, the key and a generation (0 for the key's first use, n+1 once generation n expired).
 * That object's journal is the key's durable record, so keys survive restarts and hold in a
 * cluster (one entity per id). The window runs from the key's first use, not from a wall-clock
 * boundary, so no boundary splits a client's retries.
 */
public final class Idempotency {
  private Idempotency() {}

  /** What a request with a key meets at one generation of that key. */
  public enum Verdict {
    /** Nothing there yet: create it under this generation's id. */
    NEW,
    /** The same request, within the time to live: answer what was created, create nothing. */
    REPEAT,
    /** A different request under the same key, within the time to live: 422. */
    CONFLICT,
    /** This generation's first use is {@code ttl} or more ago: try the next generation. */
    EXPIRED
  }

  /**
   * The verdict for a request at {@code now} meeting what its key created at {@code firstUse}
   * ({@code null}: nothing); {@code ttl} null means keys never expire.
   */
  public static Verdict decide(Instant firstUse, boolean sameRequest, Instant now, Duration ttl) {
    if (firstUse == null) {
      return Verdict.NEW;
    }
    if (ttl != null && !now.isBefore(firstUse.plus(ttl))) {
      return Verdict.EXPIRED;
    }
    return sameRequest ? Verdict.REPEAT : Verdict.CONFLICT;
  }

  /**
   * A retried job submit meeting the job of its key: the same request when program, backend,
   * session, tags, cost and params agree ({@code sameParams} compares the params' JSON texts).
   */
  public static Verdict decide(JobState existing, JobEvent.Submitted retry, Duration ttl,
      BiPredicate<String, String> sameParams) {
    if (existing == null || !existing.exists()) {
      return Verdict.NEW;
    }
    boolean same = Objects.equals(existing.programId(), retry.programId())
        && Objects.equals(existing.backend(), retry.backend())
        && Objects.equals(existing.sessionId(), retry.sessionId())
        && Objects.equals(existing.tags(), retry.tags())
        && Objects.equals(existing.cost(), retry.cost())
        && sameParams.test(existing.paramsJson(), retry.paramsJson());
    return decide(existing.created(), same, retry.at(), ttl);
  }

  /**
   * A retried session create meeting the session of its key: the same request when mode, backend
   * and the resulting max TTL agree (an omitted {@code max_ttl} is the configured one).
   */
  public static Verdict decide(SessionView existing, SessionEvent.Opened retry, Duration ttl) {
    if (existing == null || existing.id() == null) {
      return Verdict.NEW;
    }
    boolean same = existing.mode() == retry.mode()
        && Objects.equals(existing.backend(), retry.backend())
        && Objects.equals(existing.maxTtl(), retry.maxTtl());
    return decide(existing.createdAt(), same, retry.at(), ttl);
  }

  /** The 422 of {@link Verdict#CONFLICT}, naming the header and why. */
  public static Rejection conflict(String key, String what, Instant firstUse, Duration ttl) {
    return new Rejection(422, "Idempotency-Key",
        "Idempotency-Key '" + key + "' was first used at " + firstUse + " for a different " + what
            + " request; a key names one request for " + human(ttl)
            + " (lanes.idempotency.key-ttl): use a new key for a new request");
  }

  private static String human(Duration d) {
    if (d == null) {
      return "ever";
    }
    long s = d.toSeconds();
    return s % 3600 == 0 ? s / 3600 + " h" : s + " s";
  }
}
