package dev.lanes.actors.backend;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Reads of the journal for backends that start on this node (issue 6), shared: when a node goes,
 * all its backends start here at once, and each needs a read begun after it started, not one
 * read each. A read already begun since the asker started serves it too.
 */
public final class HistoryReads {
  private final Supplier<CompletionStage<BackendHost.History>> read;
  private CompletionStage<BackendHost.History> last;
  private long lastBegunNanos = Long.MIN_VALUE;

  public HistoryReads(Supplier<CompletionStage<BackendHost.History>> read) {
    this.read = read;
  }

  /** A read of the journal begun at or after {@code sinceNanos} ({@link System#nanoTime}). */
  public synchronized CompletionStage<BackendHost.History> since(long sinceNanos) {
    if (last == null || lastBegunNanos - sinceNanos < 0) {
      lastBegunNanos = System.nanoTime();
      last = read.get();
    }
    return last;
  }
}
