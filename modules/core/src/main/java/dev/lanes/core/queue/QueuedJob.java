package dev.lanes.core.queue;

import java.time.Instant;

/** A job waiting for a lane, with what the start policy needs to rank it. */
public record QueuedJob(String jobId, String instance, String sessionId, Instant submittedAt) {}
