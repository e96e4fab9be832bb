package dev.lanes.core.queue;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The backend's one QPU (R2): lanes take it for their job's quantum part one at a time, first come
 * first served, while the other lanes keep doing classical work.
 */
public final class QpuToken {
  private final ArrayDeque<Integer> waiting = new ArrayDeque<>();
  private Integer holder;

  /** True if the lane holds the QPU now; otherwise it waits its turn. */
  public boolean acquire(int lane) {
    if (holder == null) {
      holder = lane;
      return true;
    }
    if (holder != lane && !waiting.contains(lane)) {
      waiting.addLast(lane);
    }
    return holder == lane;
  }

  /**
   * The lane gives the QPU back, or stops waiting for it. Returns the lane that holds it next, if
   * the hand-over happened now.
   */
  public OptionalInt release(int lane) {
    if (holder != null && holder == lane) {
      holder = waiting.pollFirst();
      return holder == null ? OptionalInt.empty() : OptionalInt.of(holder);
    }
    waiting.remove(lane);
    return OptionalInt.empty();
  }

  public Optional<Integer> holder() {
    return Optional.ofNullable(holder);
  }

  public int waiting() {
    return waiting.size();
  }
}
