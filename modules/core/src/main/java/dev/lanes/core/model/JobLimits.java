package dev.lanes.core.model;

import java.time.Duration;

/** System limits on one job (R4, R28), from {@code lanes.jobs}. */
public record JobLimits(
    long maxExecutions,
    long maxPayloadBytes,
    int maxTags,
    int maxTagLength,
    Duration maxExecutionTime,
    int defaultShots) {}
