package dev.lanes.core.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One state-changing call as the audit log keeps it (issue 8): who ({@code user}, never the token;
 * {@code null} when the token was unknown), the {@code instance} it acted for, whether the token is
 * an {@code admin}; what ({@code method}, {@code path}, the {@code action} it is, the object it
 * touched or created, the backend); the result ({@code status}); when ({@code at}, server time, to
 * the millisecond); the request id ({@code trace}) and the {@code node} that answered.
 * Strings are cut to the lengths the store keeps, so an absurd path cannot fail a write.
 */
public record AuditEntry(Instant at, String node, String user, String instance, boolean admin, String method,
    String path, String action, String objectId, String backend, int status, String trace) {

  /** The longest path kept; longer ones end in "…". */
  public static final int MAX_PATH = 1024;
  /** The longest user, instance, object id, backend, node or trace kept. */
  public static final int MAX_NAME = 255;

  public AuditEntry {
    at = at.truncatedTo(ChronoUnit.MILLIS);
    node = clip(node, MAX_NAME);
    user = clip(user, MAX_NAME);
    instance = clip(instance, MAX_NAME);
    method = clip(method, 16);
    path = clip(path, MAX_PATH);
    action = clip(action, 64);
    objectId = clip(objectId, MAX_NAME);
    backend = clip(backend, MAX_NAME);
    trace = clip(trace, 64);
  }

  /** The same entry as written by {@code node}. */
  public AuditEntry withNode(String node) {
    return new AuditEntry(at, node, user, instance, admin, method, path, action, objectId, backend, status, trace);
  }

  static String clip(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
