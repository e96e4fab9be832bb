package dev.lanes.core.queue;

import dev.lanes.core.model.JobShape;
import dev.lanes.core.session.SessionMode;
import java.time.Instant;

/**
 * A job waiting for a lane, with what the start policy needs to rank it: its instance, its
 * session and that session's mode (null for job mode; R5a/R5b), when it was submitted (R9), and
 * its size and estimated quantum time (fair share counts started jobs' estimates until they are
 * charged, R5c; the queue forecast times it). {@code shape} may be null where timing is unknown.
 */
public record QueuedJob(String jobId, String instance, String sessionId, SessionMode sessionMode,
    Instant submittedAt, JobShape shape, double estimatedQuantumSeconds) {

  public QueuedJob(String jobId, String instance, String sessionId, SessionMode sessionMode, Instant submittedAt) {
    this(jobId, instance, sessionId, sessionMode, submittedAt, null, 0);
  }

  public boolean inSession(String id) {
    return sessionId != null && sessionId.equals(id);
  }
}
