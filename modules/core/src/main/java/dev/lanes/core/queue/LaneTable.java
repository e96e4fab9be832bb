package dev.lanes.core.queue;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

/** Which job holds each lane of a backend (R1: never more running jobs than lanes). */
public final class LaneTable {
  private final String[] holder;

  public LaneTable(int lanes) {
    if (lanes < 1) {
      throw new IllegalArgumentException("a backend needs at least one lane, got " + lanes);
    }
    holder = new String[lanes];
  }

  public int lanes() {
    return holder.length;
  }

  public OptionalInt freeLane() {
    for (int i = 0; i < holder.length; i++) {
      if (holder[i] == null) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  public void occupy(int lane, String jobId) {
    if (holder[lane] != null) {
      throw new IllegalStateException("lane " + lane + " already holds " + holder[lane]);
    }
    holder[lane] = jobId;
  }

  /** Frees the lane if it holds this job; false for a stale report. */
  public boolean release(int lane, String jobId) {
    if (lane < 0 || lane >= holder.length || !jobId.equals(holder[lane])) {
      return false;
    }
    holder[lane] = null;
    return true;
  }

  public OptionalInt laneOf(String jobId) {
    for (int i = 0; i < holder.length; i++) {
      if (jobId.equals(holder[i])) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  public Optional<String> holder(int lane) {
    return Optional.ofNullable(holder[lane]);
  }

  public int busy() {
    return (int) Arrays.stream(holder).filter(h -> h != null).count();
  }
}
