package dev.lanes.actors.job;

import dev.lanes.core.job.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * The node's read model of jobs for GET and list calls: every job entity writes its state here
 * after each persisted event, and recovery fills it from the journal at start. Reads never wait
 * for an actor. Deleted jobs are dropped (R28).
 *
 * <p>Lists are always of one instance, newest or oldest first, often only its pending jobs. So
 * each instance keeps its jobs, and its pending jobs, in creation order: a page is a walk from
 * one end, and with no other filter its total is a counter. A list never sorts, which matters
 * with a million queued jobs (issue 5, W5).
 */
public final class JobIndex {
  private static final Comparator<Key> ORDER =
      Comparator.comparing(Key::created).thenComparing(Key::jobId);

  private record Key(Instant created, String jobId) {}

  /** One instance's jobs in creation order; written under its own lock, read without one. */
  private static final class InstanceJobs {
    final ConcurrentSkipListMap<Key, JobState> all = new ConcurrentSkipListMap<>(ORDER);
    final ConcurrentSkipListMap<Key, JobState> pending = new ConcurrentSkipListMap<>(ORDER);
    volatile int allCount;
    volatile int pendingCount;
  }

  private final ConcurrentHashMap<String, JobState> jobs = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, InstanceJobs> byInstance = new ConcurrentHashMap<>();
  /**
   * In a cluster (issue 6) two writers keep this model: the entities on this node, at once, and
   * the journal's tag stream ({@code ReadSide}), for the entities on every node, a little later.
   * Each job's version is its entity's sequence number (0: its intake row or session event), so
   * the stream never takes a job back to an older state. Null on one node: only entities write.
   */
  private final ConcurrentHashMap<String, Long> versions;

  /** Told every change of a job (its state before, or null, and after): metrics (issue 7). */
  private volatile java.util.function.BiConsumer<JobState, JobState> onChange = (before, after) -> { };

  public JobIndex() {
    this(false);
  }

  public void onChange(java.util.function.BiConsumer<JobState, JobState> listener) {
    onChange = listener;
  }

  public JobIndex(boolean versioned) {
    this.versions = versioned ? new ConcurrentHashMap<>() : null;
  }

  /** The state after the entity's event {@code version}; an older one than known is ignored. */
  public void put(JobState state, long version) {
    if (versions == null) {
      put(state);
      return;
    }
    versions.compute(state.jobId(), (id, known) -> {
      if (known != null && known >= version) {
        return known;
      }
      put(state);
      return version;
    });
  }

  /** A job's first record (an intake row, a session's JobAdded): only if nothing newer is known. */
  public void putNew(JobState state) {
    put(state, 0);
  }

  /**
   * The tag stream's event {@code version} of job {@code jobId}: applied to the known state when
   * it is the next one; a {@code Submitted} starts the job afresh, as in recovery.
   */
  public void apply(String jobId, long version, dev.lanes.core.job.JobEvent event) {
    if (versions == null) {
      throw new IllegalStateException("apply needs a versioned index");
    }
    versions.compute(jobId, (id, known) -> {
      if (known != null && known >= version) {
        return known;
      }
      JobState current = jobs.get(id);
      JobState next = event instanceof dev.lanes.core.job.JobEvent.Submitted s ? JobState.EMPTY.apply(s)
          : current == null ? null : current.apply(event);
      if (next == null) {
        return known; // deleted, or its first record not seen: nothing to apply to
      }
      put(next);
      return version;
    });
  }

  public void put(JobState state) {
    InstanceJobs in = byInstance.computeIfAbsent(state.instance(), i -> new InstanceJobs());
    Key key = new Key(state.created(), state.jobId());
    JobState before;
    synchronized (in) {
      JobState old = state.deleted() ? jobs.remove(state.jobId()) : jobs.put(state.jobId(), state);
      before = old;
      if (old != null) {
        in.all.remove(key);
        in.allCount--;
        if (!old.isFinal()) {
          in.pending.remove(key);
          in.pendingCount--;
        }
      }
      if (!state.deleted()) {
        in.all.put(key, state);
        in.allCount++;
        if (!state.isFinal()) {
          in.pending.put(key, state);
          in.pendingCount++;
        }
      }
    }
    onChange.accept(before, state);
  }

  public Optional<JobState> get(String jobId) {
    return Optional.ofNullable(jobs.get(jobId));
  }

  public int size() {
    return jobs.size();
  }

  /**
   * A list call: the jobs of {@code instance}, only pending ones (Queued or Running) when
   * {@code pending} is true, only final ones when false, all when null; created strictly
   * between {@code after} and {@code before} when given; and matching {@code filter} (null: no
   * other condition).
   */
  public record Query(String instance, Boolean pending, Instant after, Instant before, Predicate<JobState> filter,
      boolean ascending, int offset, int limit) {}

  /** Matching jobs, newest first unless ascending, with the total before paging. */
  public Page page(Query q) {
    InstanceJobs in = byInstance.get(q.instance());
    if (in == null) {
      return new Page(List.of(), 0);
    }
    boolean onlyPending = Boolean.TRUE.equals(q.pending());
    NavigableMap<Key, JobState> m = onlyPending ? in.pending : in.all;
    boolean ranged = q.after() != null || q.before() != null;
    if (ranged) {
      // Keys are (created, id) and ids are non-empty: ("", t) sorts before every job created at t,
      // ("\uffff", t) after every one.
      Key from = q.after() == null ? null : new Key(q.after(), "\uffff");
      Key to = q.before() == null ? null : new Key(q.before(), "");
      if (from != null && to != null && ORDER.compare(from, to) >= 0) {
        return new Page(List.of(), 0);
      }
      m = from == null ? m.headMap(to, false) : to == null ? m.tailMap(from, false) : m.subMap(from, false, to, false);
    }
    Predicate<JobState> filter = q.filter();
    if (Boolean.FALSE.equals(q.pending())) {
      filter = filter == null ? JobState::isFinal : filter.and(JobState::isFinal);
    }
    Iterable<JobState> walk = (q.ascending() ? m : m.descendingMap()).values();
    List<JobState> page = new ArrayList<>(Math.min(q.limit(), 256));
    int end = q.offset() + q.limit();
    if (filter == null && !ranged) {
      // The total is the counter: walk only as far as the page.
      int total = onlyPending ? in.pendingCount : in.allCount;
      int i = 0;
      for (JobState s : walk) {
        if (i >= end) {
          break;
        }
        if (i++ >= q.offset()) {
          page.add(s);
        }
      }
      return new Page(page, Math.max(total, page.size()));
    }
    int matched = 0;
    for (JobState s : walk) {
      if (filter != null && !filter.test(s)) {
        continue;
      }
      if (matched >= q.offset() && matched < end) {
        page.add(s);
      }
      matched++;
    }
    return new Page(page, matched);
  }

  public record Page(List<JobState> jobs, int total) {}
}
