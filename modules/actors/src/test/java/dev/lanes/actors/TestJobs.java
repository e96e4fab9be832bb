package dev.lanes.actors;

import dev.lanes.core.job.JobEvent;
import dev.lanes.core.job.JobState;
import dev.lanes.core.model.CircuitSpec;
import dev.lanes.core.model.JobShape;
import dev.lanes.core.model.Pub;
import dev.lanes.core.model.TimingModel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Jobs for actor tests: descriptor circuits, so timing is all that matters. */
public final class TestJobs {
  public static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
  public static final String INSTANCE = "crn:test:a";

  private TestJobs() {}

  /** A timing model where a job spends exactly the given times on each phase (1 circuit, 1 shot). */
  public static TimingModel timing(Duration prep, Duration quantum, Duration post) {
    return new TimingModel(prep, post, quantum, Duration.ZERO, Duration.ZERO, Duration.ZERO);
  }

  public static String params() {
    return "{\"pubs\":[{\"circuit\":{\"num_qubits\":2,\"depth\":1},\"shots\":1}]}";
  }

  public static JobEvent.Submitted submitted(String id, String backend, long maxExecutionSeconds) {
    JobShape shape = JobShape.of(List.of(new Pub(new CircuitSpec.Descriptor(2, 1, 1), 1, 0)));
    return new JobEvent.Submitted(id, INSTANCE, "alice", backend, "sampler", null, null, List.of(), null,
        maxExecutionSeconds, params(), shape, 1.0, null, T0);
  }

  public static JobState queued(String id, String backend, long maxExecutionSeconds) {
    return JobState.EMPTY.apply(submitted(id, backend, maxExecutionSeconds));
  }

  public static JobState running(String id, String backend, long maxExecutionSeconds, int lane) {
    return queued(id, backend, maxExecutionSeconds).apply(new JobEvent.Started(lane, 1, T0));
  }
}
