package dev.lanes.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 8 (audit log): which calls change state, and what each one touches. */
class AuditCallTest {

  @Test
  void everyStateChangingCallOfApiMdIsAnAction() {
    assertEquals(call("job.submit", null, null), AuditCall.of("POST", "/api/v1/jobs"));
    assertEquals(call("job.cancel", "j1", null), AuditCall.of("POST", "/api/v1/jobs/j1/cancel"));
    assertEquals(call("job.delete", "j1", null), AuditCall.of("DELETE", "/api/v1/jobs/j1"));
    assertEquals(call("session.open", null, null), AuditCall.of("POST", "/api/v1/sessions"));
    assertEquals(call("session.update", "s1", null), AuditCall.of("PATCH", "/api/v1/sessions/s1"));
    assertEquals(call("session.close", "s1", null), AuditCall.of("DELETE", "/api/v1/sessions/s1/close"));
    assertEquals(call("backend.maintenance", null, "kyiv"), AuditCall.of("POST", "/api/v1/admin/backends/kyiv/maintenance"));
    assertEquals(call("backend.status", "kyiv", "kyiv"), AuditCall.of("PATCH", "/api/v1/admin/backends/kyiv"));
    assertEquals(8, AuditCall.ACTIONS.size());
  }

  @Test
  void readsAndOtherPathsAreNot() {
    for (String[] r : new String[][] {
        {"GET", "/api/v1/jobs"}, {"GET", "/api/v1/jobs/j1"}, {"GET", "/api/v1/admin/audit"},
        {"POST", "/api/v1/jobs/"}, {"POST", "/api/v1/jobs/j1"}, {"POST", "/api/v1/jobs//cancel"},
        {"PUT", "/api/v1/jobs/j1"}, {"DELETE", "/api/v1/sessions/s1"}, {"PATCH", "/api/v1/admin/backends/kyiv/queue"},
        {"POST", "/api/v2/jobs"}, {"POST", "/health/alive"}, {"DELETE", "/api/v1/jobs/j1/results"}}) {
      assertEquals(Optional.empty(), AuditCall.of(r[0], r[1]), r[0] + " " + r[1]);
    }
  }

  @Test
  void createdObjectsAreNamedByTheAnswer() {
    assertTrue(AuditCall.of("POST", "/api/v1/jobs").orElseThrow().idInAnswer());
    assertTrue(AuditCall.of("POST", "/api/v1/sessions").orElseThrow().idInAnswer());
    assertTrue(AuditCall.of("POST", "/api/v1/admin/backends/b/maintenance").orElseThrow().idInAnswer());
    assertFalse(AuditCall.of("POST", "/api/v1/jobs/j/cancel").orElseThrow().idInAnswer());
  }

  private static Optional<AuditCall> call(String action, String object, String backend) {
    return Optional.of(new AuditCall(action, object, backend));
  }
}
