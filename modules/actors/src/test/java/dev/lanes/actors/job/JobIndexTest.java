package dev.lanes.actors.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.core.job.JobEvent;
import dev.lanes.core.job.JobRules;
import dev.lanes.core.job.JobState;
import dev.lanes.core.model.JobShape;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The list read model behind GET /jobs (api.md): order, paging, counts, filters, R28 deletes. */
class JobIndexTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  private static JobState job(String id, String instance, String backend, int second) {
    return JobState.EMPTY.apply(new JobEvent.Submitted(id, instance, "u", backend, "sampler", null, null, List.of(),
        null, 60, "{}", new JobShape(1, 1, 1, 1, 1), 1, null, T0.plusSeconds(second)));
  }

  private static JobState cancelled(JobState s) {
    return s.apply(JobRules.cancelQueued(T0.plusSeconds(100)));
  }

  private static List<String> ids(JobIndex.Page p) {
    return p.jobs().stream().map(JobState::jobId).toList();
  }

  private static JobIndex.Query query(Boolean pending, boolean asc, int offset, int limit) {
    return new JobIndex.Query("a", pending, null, null, null, asc, offset, limit);
  }

  @Test
  void pagesNewestFirstOrOldestFirstWithTheTotalBeforePaging() {
    JobIndex index = new JobIndex();
    for (int i = 0; i < 5; i++) {
      index.put(job("j" + i, "a", "b1", i));
    }
    index.put(job("other", "z", "b1", 2));
    JobIndex.Page newest = index.page(query(null, false, 1, 2));
    assertEquals(List.of("j3", "j2"), ids(newest));
    assertEquals(5, newest.total());
    JobIndex.Page oldest = index.page(query(null, true, 0, 3));
    assertEquals(List.of("j0", "j1", "j2"), ids(oldest));
    assertEquals(5, oldest.total());
    assertEquals(0, index.page(new JobIndex.Query("nobody", null, null, null, null, false, 0, 10)).total());
  }

  @Test
  void pendingFollowsEachJobsLatestStateAndDeletedJobsLeave() {
    JobIndex index = new JobIndex();
    JobState j0 = job("j0", "a", "b1", 0);
    JobState j1 = job("j1", "a", "b1", 1);
    index.put(j0);
    index.put(j1);
    index.put(cancelled(j0));
    assertEquals(List.of("j1"), ids(index.page(query(true, false, 0, 10))));
    assertEquals(1, index.page(query(true, false, 0, 10)).total());
    assertEquals(List.of("j0"), ids(index.page(query(false, false, 0, 10))));
    assertEquals(2, index.page(query(null, false, 0, 10)).total());

    index.put(cancelled(j0).apply(new JobEvent.Deleted(T0.plusSeconds(200)))); // R28
    assertEquals(List.of("j1"), ids(index.page(query(null, false, 0, 10))));
    assertEquals(1, index.page(query(null, false, 0, 10)).total());
    assertEquals(1, index.size());
  }

  @Test
  void createdRangeIsStrictAndCombinesWithOtherFilters() {
    JobIndex index = new JobIndex();
    for (int i = 0; i < 6; i++) {
      index.put(job("j" + i, "a", i % 2 == 0 ? "even" : "odd", i));
    }
    JobIndex.Page range = index.page(new JobIndex.Query("a", null, T0.plusSeconds(1), T0.plusSeconds(4), null,
        true, 0, 10));
    assertEquals(List.of("j2", "j3"), ids(range));
    assertEquals(2, range.total());
    JobIndex.Page even = index.page(new JobIndex.Query("a", true, null, null, s -> s.backend().equals("even"),
        false, 1, 1));
    assertEquals(List.of("j2"), ids(even));
    assertEquals(3, even.total());
    assertEquals(0, index.page(new JobIndex.Query("a", null, T0.plusSeconds(4), T0.plusSeconds(1), null,
        true, 0, 10)).total());
  }
}
