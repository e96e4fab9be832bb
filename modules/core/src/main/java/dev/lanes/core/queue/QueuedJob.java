package dev.lanes.core.queue;

import dev.lanes.core.session.SessionMode;
import java.time.Instant;

/**
 * A job waiting for a lane, with what the start policy needs to rank it: its instance, and its
 * session and that session's mode (null for job mode), which decide R5a/R5b.
 */
public record QueuedJob(String jobId, String instance, String sessionId, SessionMode sessionMode, Instant submittedAt) {
  public boolean inSession(String id) {
    return sessionId != null && sessionId.equals(id);
  }
}
