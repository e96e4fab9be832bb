package dev.lanes.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.client.LanesApi;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Waits for a job to end, showing its progress on stderr: status, queue position, estimated start
 * and elapsed time. On a terminal it is one line rewritten in place ({@code \r}); otherwise (a
 * log, a pipe, a test) a line is printed each time the status or the queue position changes.
 * Never writes to stdout.
 */
final class JobProgress {
  static final Duration FIRST_POLL = Duration.ofMillis(50);
  static final Duration MAX_POLL = Duration.ofSeconds(1);

  private final LanesApi api;
  private final PrintWriter err;
  private final boolean terminal;
  private final boolean quiet;

  JobProgress(LanesApi api, PrintWriter err, boolean terminal, boolean quiet) {
    this.api = api;
    this.err = err;
    this.terminal = terminal;
    this.quiet = quiet;
  }

  /** Polls the job (backing off from 50 ms to 1 s) until it is final; returns the final job object. */
  JsonNode await(String id) {
    // Ctrl-C stops the waiting, not the job: end the progress line and say how to look again
    Thread onInterrupt = new Thread(() -> {
      err.println((terminal && !quiet ? "\n" : "") + "lanes: stopped waiting; job " + id
          + " goes on (lanes jobs get " + id + ")");
      err.flush();
    });
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try {
      return poll(id);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs
      }
    }
  }

  private JsonNode poll(String id) {
    long start = System.nanoTime();
    long pause = FIRST_POLL.toNanos();
    String lastKey = null;
    int lastWidth = 0;
    while (true) {
      JsonNode job = api.job(id, false);
      boolean done = LanesApi.isFinal(job);
      String line = line(id, job, Duration.ofNanos(System.nanoTime() - start), Instant.now());
      if (!quiet) {
        if (terminal) {
          err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
          lastWidth = line.length();
          if (done) {
            err.println();
          }
          err.flush();
        } else {
          String key = status(job) + "/" + job.path("queue_position").asText("");
          if (!Objects.equals(key, lastKey) || done) {
            err.println(line);
            err.flush();
            lastKey = key;
          }
        }
      }
      if (done) {
        return job;
      }
      sleep(pause);
      pause = Math.min((long) (pause * 1.5), MAX_POLL.toNanos());
    }
  }

  static String status(JsonNode job) {
    return job.path("state").path("status").asText(job.path("status").asText("?"));
  }

  /** e.g. {@code job 3f2a…: Queued, position 2, starts ~13:40:05Z (in 12s), elapsed 3.4s}. */
  static String line(String id, JsonNode job, Duration elapsed, Instant now) {
    StringBuilder b = new StringBuilder("job ").append(id).append(": ").append(status(job));
    JsonNode position = job.path("queue_position");
    if (position.isNumber()) {
      b.append(", position ").append(position.asInt());
    }
    JsonNode start = job.path("estimated_start");
    if (start.isTextual()) {
      b.append(", starts ~").append(Table.time(start).replaceFirst("^.*T", ""));
      try {
        long in = Duration.between(now, Instant.parse(start.textValue())).toSeconds();
        b.append(in > 0 ? " (in " + in + "s)" : " (now)");
      } catch (DateTimeParseException ignored) {
        // shown as it came
      }
    }
    String reason = job.path("state").path("reason").asText("");
    if (LanesApi.isFinal(job) && !reason.isEmpty()) {
      b.append(" (").append(reason).append(')');
    }
    b.append(", elapsed ").append(String.format(java.util.Locale.ROOT, "%.1fs", elapsed.toMillis() / 1000.0));
    return b.toString();
  }

  private static void sleep(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException("interrupted while waiting for a job"));
    }
  }
}
