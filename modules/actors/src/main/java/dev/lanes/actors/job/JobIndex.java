package dev.lanes.actors.job;

import dev.lanes.core.job.JobState;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The node's read model of jobs for GET and list calls: every job entity writes its state here
 * after each persisted event, and recovery fills it from the journal at start. Reads never wait
 * for an actor. Deleted jobs are dropped (R28).
 */
public final class JobIndex {
  private final ConcurrentHashMap<String, JobState> jobs = new ConcurrentHashMap<>();

  public void put(JobState state) {
    if (state.deleted()) {
      jobs.remove(state.jobId());
    } else {
      jobs.put(state.jobId(), state);
    }
  }

  public Optional<JobState> get(String jobId) {
    return Optional.ofNullable(jobs.get(jobId));
  }

  public int size() {
    return jobs.size();
  }

  /** Matching jobs, newest first unless {@code ascending}, with the total before paging. */
  public Page page(Predicate<JobState> filter, boolean ascending, int offset, int limit) {
    Comparator<JobState> byCreated =
        Comparator.comparing(JobState::created).thenComparing(JobState::jobId);
    List<JobState> all = jobs.values().stream().filter(filter)
        .sorted(ascending ? byCreated : byCreated.reversed())
        .collect(Collectors.toList());
    int from = Math.min(offset, all.size());
    int to = Math.min(all.size(), from + limit);
    return new Page(List.copyOf(all.subList(from, to)), all.size());
  }

  public record Page(List<JobState> jobs, int total) {}
}
