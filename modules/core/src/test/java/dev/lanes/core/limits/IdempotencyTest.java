package dev.lanes.core.limits;

import static dev.lanes.core.limits.Idempotency.Verdict.CONFLICT;
import static dev.lanes.core.limits.Idempotency.Verdict.EXPIRED;
import static dev.lanes.core.limits.Idempotency.Verdict.NEW;
import static dev.lanes.core.limits.Idempotency.Verdict.REPEAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.core.job.JobEvent;
import dev.lanes.core.job.JobState;
import dev.lanes.core.model.Rejection;
import dev.lanes.core.session.SessionEvent;
import dev.lanes.core.session.SessionMode;
import dev.lanes.core.session.SessionState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 8 item 3, api.md Idempotency-Key: first answer within the TTL, 422 on another body, forgotten after. */
class IdempotencyTest {
  private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  private static final Duration DAY = Duration.ofHours(24);

  private static JobEvent.Submitted job(String params, List<String> tags, Instant at) {
    return new JobEvent.Submitted("j1", "crn:a", "alice", "fast", "sampler", null, null, tags, null, 60,
        params, null, 1.0, "k", at);
  }

  @Test
  void issue8_theSameRequestWithinTheTtlIsARepeatAnotherIsAConflict() {
    JobState first = JobState.EMPTY.apply(job("{\"pubs\":[1]}", List.of("a"), T0));
    assertEquals(NEW, Idempotency.decide(JobState.EMPTY, job("{}", List.of(), T0), DAY, String::equals));
    assertEquals(REPEAT, Idempotency.decide(first, job("{\"pubs\":[1]}", List.of("a"), T0.plusSeconds(5)), DAY,
        String::equals));
    assertEquals(CONFLICT, Idempotency.decide(first, job("{\"pubs\":[2]}", List.of("a"), T0.plusSeconds(5)), DAY,
        String::equals), "other params");
    assertEquals(CONFLICT, Idempotency.decide(first, job("{\"pubs\":[1]}", List.of("b"), T0.plusSeconds(5)), DAY,
        String::equals), "other tags");
  }

  @Test
  void issue8_aKeyIsForgottenTtlAfterItsFirstUseNotAtAWindowBoundary() {
    JobState first = JobState.EMPTY.apply(job("{}", List.of(), T0));
    Instant justBefore = T0.plus(DAY).minusMillis(1);
    assertEquals(REPEAT, Idempotency.decide(first, job("{}", List.of(), justBefore), DAY, String::equals));
    assertEquals(EXPIRED, Idempotency.decide(first, job("{}", List.of(), T0.plus(DAY)), DAY, String::equals));
    assertEquals(EXPIRED, Idempotency.decide(first, job("{\"x\":1}", List.of(), T0.plus(DAY)), DAY, String::equals),
        "an expired key conflicts with nothing");
    assertEquals(REPEAT, Idempotency.decide(first, job("{}", List.of(), T0.plus(DAY)), null, String::equals),
        "no ttl: never forgotten");
  }

  @Test
  void issue8_sessionsCompareModeBackendAndMaxTtl() {
    SessionEvent.Opened opened = new SessionEvent.Opened("s1", SessionMode.BATCH, "fast", "crn:a", "alice",
        Duration.ofSeconds(1), Duration.ofHours(8), Duration.ofMinutes(30), T0);
    SessionState s = SessionState.empty();
    s.apply(opened);
    var view = s.view();
    assertEquals(REPEAT, Idempotency.decide(view, opened, DAY));
    assertEquals(CONFLICT, Idempotency.decide(view, new SessionEvent.Opened("s1", SessionMode.DEDICATED, "fast",
        "crn:a", "alice", Duration.ofSeconds(1), Duration.ofHours(8), Duration.ofMinutes(30), T0), DAY));
    assertEquals(EXPIRED, Idempotency.decide(view, new SessionEvent.Opened("s1", SessionMode.BATCH, "fast",
        "crn:a", "alice", Duration.ofSeconds(1), Duration.ofHours(8), Duration.ofMinutes(30), T0.plus(DAY)), DAY));
  }

  @Test
  void issue8_theConflictIs422NamingTheHeader() {
    Rejection r = Idempotency.conflict("k-1", "job", T0, DAY);
    assertEquals(422, r.status());
    assertTrue(r.message().contains("Idempotency-Key 'k-1'") && r.message().contains("24 h"), r.message());
  }
}
