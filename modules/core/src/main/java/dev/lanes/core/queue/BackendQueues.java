package dev.lanes.core.queue;

import dev.lanes.core.session.SessionMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything queued on one backend, in the start order of R5:
 * (a) the jobs of the dedicated session that holds the backend — nobody else starts (R17);
 * (b) queued jobs of active batches, the batch that became active first going first (R19);
 * (c) everyone else, in {@link StartPolicy} order.
 * The first job of a session or batch waits in (c) like any job (R6); taking it activates the
 * hold or the batch, and the rest of that session's queued jobs move ahead with it. Every job
 * keeps one order key for life, so moving between queues never changes its place among peers.
 * Owned by one actor; not thread-safe.
 */
public final class BackendQueues {
  private final StartPolicy normal;
  /** Jobs of each session that wait in the normal queue (to move them ahead on activation). */
  private final Map<String, Set<String>> normalBySession = new HashMap<>();
  private String holder;
  private final JobQueue held = new JobQueue();
  private final LinkedHashMap<String, JobQueue> batches = new LinkedHashMap<>();
  /** Which queue each job is in: the holder's, a batch's, or null for the normal queue. */
  private final Map<String, JobQueue> home = new HashMap<>();
  private static final JobQueue NORMAL = new JobQueue();
  private long head = 0;
  private long tail = 0;

  public BackendQueues(StartPolicy policy) {
    this.normal = policy;
  }

  /** Queues a job behind its peers, or ahead of everyone for an interrupted run (R29). */
  public boolean enqueue(QueuedJob job, boolean atHead) {
    if (home.containsKey(job.jobId())) {
      return false;
    }
    place(job, atHead ? --head : ++tail);
    return true;
  }

  private void place(QueuedJob job, long key) {
    JobQueue q;
    if (holder != null && job.inSession(holder)) {
      q = held;
    } else if (job.sessionId() != null && batches.containsKey(job.sessionId())) {
      q = batches.get(job.sessionId());
    } else {
      normal.add(job, key);
      home.put(job.jobId(), NORMAL);
      if (job.sessionId() != null) {
        normalBySession.computeIfAbsent(job.sessionId(), k -> new LinkedHashSet<>()).add(job.jobId());
      }
      return;
    }
    q.add(job, key);
    home.put(job.jobId(), q);
  }

  /** The job that starts next on a free lane (R5), without taking it. */
  public Optional<QueuedJob> next(Instant now) {
    if (holder != null) {
      return held.first(); // R7: while a session holds the backend only its jobs are eligible
    }
    for (JobQueue batch : batches.values()) {
      if (!batch.isEmpty()) {
        return batch.first();
      }
    }
    return normal.next(now);
  }

  /** About the first {@code k} jobs to start (a hint for waking their entities, not a decision). */
  public List<QueuedJob> upcoming(int k, Instant now) {
    if (holder != null) {
      return firstOf(held.inOrder(), k);
    }
    List<QueuedJob> out = new ArrayList<>(k);
    for (JobQueue batch : batches.values()) {
      out.addAll(firstOf(batch.inOrder(), k - out.size()));
      if (out.size() >= k) {
        return out;
      }
    }
    out.addAll(normal.upcoming(k - out.size(), now));
    return out;
  }

  static List<QueuedJob> firstOf(java.util.Iterator<QueuedJob> it, int k) {
    List<QueuedJob> out = new ArrayList<>(Math.max(0, k));
    while (out.size() < k && it.hasNext()) {
      out.add(it.next());
    }
    return out;
  }

  /**
   * Takes a job out to start it. The first job of a dedicated session to start makes it the
   * holder (R10); the first of a batch activates the batch (R19). Either way the session's other
   * queued jobs move ahead with it.
   */
  public Optional<QueuedJob> take(String jobId) {
    Optional<QueuedJob> job = remove(jobId);
    job.ifPresent(j -> {
      normal.started(j);
      if (j.sessionMode() == SessionMode.DEDICATED && holder == null) {
        hold(j.sessionId());
      } else if (j.sessionMode() == SessionMode.BATCH) {
        activateBatch(j.sessionId());
      }
    });
    return job;
  }

  public Optional<QueuedJob> remove(String jobId) {
    JobQueue q = home.remove(jobId);
    if (q == null) {
      return Optional.empty();
    }
    Optional<QueuedJob> job = q == NORMAL ? normal.remove(jobId) : q.remove(jobId);
    job.filter(j -> q == NORMAL && j.sessionId() != null).ifPresent(j -> {
      Set<String> ids = normalBySession.get(j.sessionId());
      ids.remove(jobId);
      if (ids.isEmpty()) {
        normalBySession.remove(j.sessionId());
      }
    });
    return job;
  }

  /** The backend is dedicated to this session (R17): its queued jobs come first, nobody else starts. */
  public void hold(String sessionId) {
    if (sessionId.equals(holder)) {
      return;
    }
    if (holder != null) {
      throw new IllegalStateException("backend is held by " + holder + ", not free for " + sessionId);
    }
    holder = sessionId;
    moveOutOfNormal(sessionId);
  }

  /** The session went inactive or closed: its queued jobs go back to the normal queue (R10). */
  public boolean release(String sessionId) {
    if (holder == null || !holder.equals(sessionId)) {
      return false;
    }
    holder = null;
    moveBack(held);
    return true;
  }

  /** R19: the batch's queued jobs go ahead of normal queued jobs, after earlier active batches. */
  public void activateBatch(String sessionId) {
    if (batches.containsKey(sessionId)) {
      return;
    }
    batches.put(sessionId, new JobQueue());
    moveOutOfNormal(sessionId);
  }

  /** The batch ended; anything of it still queued goes back to the normal queue. */
  public void endBatch(String sessionId) {
    JobQueue q = batches.remove(sessionId);
    if (q != null) {
      moveBack(q);
    }
  }

  private void moveOutOfNormal(String sessionId) {
    Set<String> ids = normalBySession.remove(sessionId);
    if (ids == null) {
      return;
    }
    for (String id : ids) {
      long key = normal.keyOf(id).orElseThrow();
      QueuedJob job = normal.remove(id).orElseThrow();
      home.remove(id);
      place(job, key);
    }
  }

  private void moveBack(JobQueue from) {
    for (QueuedJob job : from.snapshot()) {
      long key = from.keyOf(job.jobId()).orElseThrow();
      from.remove(job.jobId());
      home.remove(job.jobId());
      place(job, key);
    }
  }

  /** Ids of the queued jobs of one session, wherever they wait. */
  public List<String> queuedOf(String sessionId) {
    List<String> out = new ArrayList<>();
    if (sessionId.equals(holder)) {
      held.inOrder().forEachRemaining(j -> out.add(j.jobId()));
    } else if (batches.containsKey(sessionId)) {
      batches.get(sessionId).inOrder().forEachRemaining(j -> out.add(j.jobId()));
    } else {
      out.addAll(normalBySession.getOrDefault(sessionId, Set.of()));
    }
    return out;
  }

  /** A job of this backend left its lane (fair share stops counting its estimate). */
  public void ended(QueuedJob job, double quantumSeconds, Instant now) {
    normal.ended(job, quantumSeconds, now);
  }

  public Optional<String> holder() {
    return Optional.ofNullable(holder);
  }

  /** Active batches in activation order. */
  public List<String> activeBatches() {
    return List.copyOf(batches.keySet());
  }

  public boolean contains(String jobId) {
    return home.containsKey(jobId);
  }

  public int size() {
    return home.size();
  }

  public boolean isEmpty() {
    return home.isEmpty();
  }

  /** Everything queued, in the order R5 would start it were lanes free now, and why. */
  public List<StartPolicy.Ranked> explain(Instant now) {
    List<StartPolicy.Ranked> out = new ArrayList<>(size());
    held.inOrder().forEachRemaining(j -> out.add(new StartPolicy.Ranked(j, "session", null,
        "its dedicated session holds the backend (R5a)")));
    for (JobQueue b : batches.values()) {
      b.inOrder().forEachRemaining(j -> out.add(new StartPolicy.Ranked(j, "batch", null,
          "its batch is active: ahead of normal queued jobs (R5b)")));
    }
    out.addAll(normal.startOrder(now));
    return out;
  }

  /** Everything queued, in the order R5 would start it were lanes free now. */
  public List<QueuedJob> startOrder(Instant now) {
    return explain(now).stream().map(StartPolicy.Ranked::job).toList();
  }

  /**
   * 1-based positions in start order of the given jobs that are queued. While a session holds
   * the backend, everyone else waits behind all of its queued jobs.
   */
  public Map<String, Integer> positions(List<String> jobIds, Instant now) {
    return positionsIn(startOrder(now), jobIds);
  }

  /** 1-based positions of {@code jobIds} in {@code order}; stops once all are found. */
  public static Map<String, Integer> positionsIn(List<QueuedJob> order, java.util.Collection<String> jobIds) {
    Map<String, Integer> out = new HashMap<>();
    Set<String> wanted = new java.util.HashSet<>(jobIds);
    int pos = 0;
    for (QueuedJob j : order) {
      pos++;
      if (wanted.contains(j.jobId())) {
        out.put(j.jobId(), pos);
        if (out.size() == wanted.size()) {
          break;
        }
      }
    }
    return out;
  }

}
