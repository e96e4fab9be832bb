package dev.lanes.core.audit;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where audit entries go (issue 8). {@link #append} completes once the entry is stored durably;
 * {@link #find} answers a page, newest first, with the number of all matches. The server's store
 * is a table in the journal's database; {@link InMemoryAuditLog} is the reference for tests.
 */
public interface AuditLog {
  CompletionStage<Void> append(AuditEntry entry);

  CompletionStage<Page> find(AuditQuery query);

  /** False for {@link #OFF}: nothing is recorded and nothing can be asked. */
  default boolean enabled() {
    return true;
  }

  /** A page of entries, newest first, and how many match in all. */
  record Page(List<AuditEntry> entries, long total) {}

  /** {@code lanes.audit.enabled = false}. */
  AuditLog OFF = new AuditLog() {
    @Override
    public CompletionStage<Void> append(AuditEntry entry) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Page> find(AuditQuery query) {
      return CompletableFuture.completedFuture(new Page(List.of(), 0));
    }

    @Override
    public boolean enabled() {
      return false;
    }
  };
}
