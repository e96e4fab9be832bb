package dev.lanes.core.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class QpuTokenProperties {
  private static final int LANES = 5;

  // R2: the QPU serves one lane at a time, first come first served; a waiting lane may give up
  @Property(tries = 1000)
  void oneHolderFirstComeFirstServed(
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 2 * LANES - 1) Integer> ops) {
    QpuToken token = new QpuToken();
    Integer holder = null;                     // as observed from the token's answers
    List<Integer> waitOrder = new ArrayList<>(); // lanes in the order they were told to wait
    for (int op : ops) {
      int lane = op % LANES;
      if (op < LANES) {
        boolean got = token.acquire(lane);
        if (got) {
          if (holder != null && holder != lane) {
            throw new AssertionError("lane " + lane + " granted while " + holder + " holds the QPU");
          }
          if (holder == null && !waitOrder.isEmpty()) {
            throw new AssertionError("lane " + lane + " jumped ahead of waiting " + waitOrder);
          }
          holder = lane;
        } else {
          if (holder == null || holder == lane) {
            throw new AssertionError("lane " + lane + " refused a free or held QPU");
          }
          if (!waitOrder.contains(lane)) {
            waitOrder.add(lane);
          }
        }
      } else {
        OptionalInt next = token.release(lane);
        if (holder != null && holder == lane) {
          Integer expected = waitOrder.isEmpty() ? null : waitOrder.remove(0);
          if (!(expected == null ? next.isEmpty() : next.equals(OptionalInt.of(expected)))) {
            throw new AssertionError("hand-over to " + next + ", expected " + expected);
          }
          holder = expected;
        } else {
          if (next.isPresent()) {
            throw new AssertionError("release by non-holder " + lane + " handed over to " + next);
          }
          waitOrder.remove(Integer.valueOf(lane));
        }
      }
      if (!token.holder().equals(Optional.ofNullable(holder))) {
        throw new AssertionError("holder " + token.holder() + ", expected " + holder);
      }
      if (token.waiting() != waitOrder.size()) {
        throw new AssertionError("waiting " + token.waiting() + ", expected " + waitOrder);
      }
      if (holder != null && waitOrder.contains(holder)) {
        throw new AssertionError("holder " + holder + " is also waiting");
      }
    }
  }

  // R2: three lanes queue for the QPU; the one that gives up while waiting is skipped
  @Example
  void waiterThatReleasesIsSkipped() {
    QpuToken t = new QpuToken();
    check(t.acquire(0));
    check(!t.acquire(1));
    check(!t.acquire(2));
    check(!t.acquire(1)); // asking again does not queue twice
    check(t.waiting() == 2);
    check(t.release(1).isEmpty());
    check(t.waiting() == 1);
    check(t.release(0).equals(OptionalInt.of(2)));
    check(t.holder().equals(Optional.of(2)));
    check(t.acquire(2));
    check(t.release(2).isEmpty());
    check(t.holder().isEmpty());
    check(t.acquire(1));
  }

  private static void check(boolean ok) {
    if (!ok) {
      throw new AssertionError();
    }
  }
}
