package dev.lanes.core.job;

import dev.lanes.core.model.JobShape;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class JobStartProperties {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  /** 0..4: a start attempt from that lane; 5: the node stops (requeue); 6: the run ends. */
  @Provide
  Arbitrary<Integer> commands() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(0, 4)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(5)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(6)));
  }

  // R1, R28, R29: whatever start attempts arrive, each attempt starts at most once, only from Queued
  @Property(tries = 1000)
  void atMostOneStartedPerAttempt(@ForAll @Size(max = 40) List<@From("commands") Integer> cmds) {
    JobState s = JobState.EMPTY.apply(new JobEvent.Submitted("j", "i", "u", "b", "sampler", null, null,
        List.of(), null, 10_800, "{}", new JobShape(1, 1, 1, 1, 1), 1, null, T0));
    Map<Integer, Integer> startsPerAttempt = new HashMap<>();
    int lastAttempt = 0;
    int requeues = 0;
    Instant now = T0;
    for (int c : cmds) {
      now = now.plusSeconds(1);
      JobStatus before = s.status();
      if (c <= 4) {
        var started = JobRules.start(s, c, now);
        if (started.isPresent()) {
          if (before != JobStatus.Queued) {
            throw new AssertionError("started from " + before);
          }
          int attempt = started.get().attempt();
          if (startsPerAttempt.merge(attempt, 1, Integer::sum) > 1) {
            throw new AssertionError("attempt " + attempt + " started twice");
          }
          if (attempt != lastAttempt + 1) {
            throw new AssertionError("attempt " + attempt + " after " + lastAttempt);
          }
          lastAttempt = attempt;
          s = s.apply(started.get());
          if (s.status() != JobStatus.Running || s.lane() != c) {
            throw new AssertionError("not running on lane " + c + ": " + s);
          }
        } else if (before == JobStatus.Queued) {
          throw new AssertionError("a queued job refused to start");
        }
      } else if (c == 5 && before == JobStatus.Running) {
        s = s.apply(JobRules.recoverInterrupted(s, true, now));
        requeues++;
        if (s.status() != JobStatus.Queued || s.attempt() != lastAttempt) {
          throw new AssertionError("requeue lost its attempt: " + s);
        }
      } else if (c == 6) {
        var fin = JobRules.finish(s, new RunOutcome(RunOutcome.Kind.COMPLETED, 1, "{}", null, now, now, null), now);
        if (before == JobStatus.Running && fin.isEmpty()) {
          throw new AssertionError("a running job could not finish");
        }
        if (s.isFinal() && fin.isPresent()) {
          throw new AssertionError("a final job finished again");
        }
        if (before == JobStatus.Running) {
          s = s.apply(fin.get());
        }
      }
    }
    // every start but the first follows a requeue
    if (lastAttempt > requeues + 1) {
      throw new AssertionError(lastAttempt + " attempts with only " + requeues + " requeues");
    }
  }
}
