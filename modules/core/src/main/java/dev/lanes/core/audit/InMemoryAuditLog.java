package dev.lanes.core.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The audit log's meaning, in memory: for tests, and to check other stores against. */
public final class InMemoryAuditLog implements AuditLog {
  private final List<AuditEntry> entries = new ArrayList<>();

  @Override
  public synchronized CompletionStage<Void> append(AuditEntry entry) {
    entries.add(entry);
    return CompletableFuture.completedFuture(null);
  }

  /** Newest first by time, and by order of appending among entries of the same millisecond. */
  @Override
  public synchronized CompletionStage<Page> find(AuditQuery q) {
    List<AuditEntry> matching = new ArrayList<>();
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (q.matches(entries.get(i))) {
        matching.add(entries.get(i));
      }
    }
    matching.sort((a, b) -> b.at().compareTo(a.at())); // stable: ties keep newest-appended first
    int from = (int) Math.min(q.offset(), matching.size());
    int to = (int) Math.min((long) from + q.limit(), matching.size());
    return CompletableFuture.completedFuture(new Page(List.copyOf(matching.subList(from, to)), matching.size()));
  }
}
