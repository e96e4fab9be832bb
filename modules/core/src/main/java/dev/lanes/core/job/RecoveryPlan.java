package dev.lanes.core.job;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * What a backend starting (or catching up) in epoch {@code epoch} does with the jobs the journal
 * holds for it (R29, issue 6), in the order it must be done: every list is in sending order.
 *
 * @param toTail queued jobs never run, oldest first: each to the tail of the queue
 * @param toHead queued jobs an earlier recovery re-queued, newest first: each to the head, so the
 *     oldest ends up first
 * @param cutOff runs an older epoch started (R29), latest-started first: each re-queued (or
 *     failed) by its entity and put at the head at once, so the earliest run ends up first
 * @param owingCharge final jobs whose charge may not have reached the ledger (R25, R27)
 */
public record RecoveryPlan(List<JobState> toTail, List<JobState> toHead, List<JobState> cutOff,
    List<JobState> owingCharge) {

  private static final Comparator<JobState> OLDEST_FIRST =
      Comparator.comparing(JobState::created).thenComparing(JobState::jobId);

  public RecoveryPlan {
    toTail = List.copyOf(toTail);
    toHead = List.copyOf(toHead);
    cutOff = List.copyOf(cutOff);
    owingCharge = List.copyOf(owingCharge);
  }

  /**
   * The plan for {@code backend} from every job's state. Deleted jobs and other backends' are
   * left out. Sending a job the queue already holds again is harmless (the queue ignores it), so
   * the same plan serves a start and any later catch-up.
   */
  public static RecoveryPlan of(Collection<JobState> states, String backend, long epoch) {
    List<JobState> queued = new ArrayList<>();
    List<JobState> cutOff = new ArrayList<>();
    List<JobState> owing = new ArrayList<>();
    for (JobState s : states) {
      if (s.deleted() || !backend.equals(s.backend())) {
        continue;
      }
      if (s.status() == JobStatus.Queued) {
        queued.add(s);
      } else if (JobRules.cutOffBy(s, epoch)) {
        cutOff.add(s);
      } else if (JobRules.owesCharge(s)) {
        owing.add(s);
      }
    }
    queued.sort(OLDEST_FIRST);
    List<JobState> toTail = queued.stream().filter(s -> s.attempt() == 0).toList();
    List<JobState> toHead = new ArrayList<>(queued.stream().filter(s -> s.attempt() > 0).toList());
    java.util.Collections.reverse(toHead);
    cutOff.sort(Comparator.comparing(JobState::runningAt).reversed());
    owing.sort(OLDEST_FIRST);
    return new RecoveryPlan(toTail, toHead, cutOff, owing);
  }
}
