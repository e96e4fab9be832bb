package dev.lanes.core.audit;

import java.util.List;
import java.util.Optional;

/**
 * Which calls of api.md change state, and so are audited (issue 8): the {@code action} a request
 * is, with the object and backend its path names. Objects a call creates (a job, a session, a
 * maintenance) have their id in the answer, not the path: {@link #idInAnswer}.
 */
public record AuditCall(String action, String objectId, String backend) {
  public static final String JOB_SUBMIT = "job.submit";
  public static final String JOB_CANCEL = "job.cancel";
  public static final String JOB_DELETE = "job.delete";
  public static final String SESSION_OPEN = "session.open";
  public static final String SESSION_UPDATE = "session.update";
  public static final String SESSION_CLOSE = "session.close";
  public static final String BACKEND_MAINTENANCE = "backend.maintenance";
  public static final String BACKEND_STATUS = "backend.status";

  /** Every action, in api.md's order. */
  public static final List<String> ACTIONS = List.of(JOB_SUBMIT, JOB_CANCEL, JOB_DELETE, SESSION_OPEN,
      SESSION_UPDATE, SESSION_CLOSE, BACKEND_MAINTENANCE, BACKEND_STATUS);

  private static final String BASE = "/api/v1/";

  /** True when the call creates its object and the answer names it. */
  public boolean idInAnswer() {
    return action.equals(JOB_SUBMIT) || action.equals(SESSION_OPEN) || action.equals(BACKEND_MAINTENANCE);
  }

  /**
   * The state-changing call {@code method path} is, or empty for any other request (reads, unknown
   * paths): {@code POST /jobs}, {@code POST /jobs/{id}/cancel}, {@code DELETE /jobs/{id}},
   * {@code POST /sessions}, {@code PATCH /sessions/{id}}, {@code DELETE /sessions/{id}/close},
   * {@code POST /admin/backends/{name}/maintenance}, {@code PATCH /admin/backends/{name}}.
   */
  public static Optional<AuditCall> of(String method, String path) {
    if (method.equals("GET") || !path.startsWith(BASE)) {
      return Optional.empty();
    }
    String[] s = path.substring(BASE.length()).split("/", -1);
    for (String segment : s) {
      if (segment.isEmpty()) {
        return Optional.empty();
      }
    }
    AuditCall call = switch (method) {
      case "POST" -> post(s);
      case "PATCH" -> patch(s);
      case "DELETE" -> delete(s);
      default -> null;
    };
    return Optional.ofNullable(call);
  }

  private static AuditCall post(String[] s) {
    if (s.length == 1 && s[0].equals("jobs")) {
      return new AuditCall(JOB_SUBMIT, null, null);
    }
    if (s.length == 3 && s[0].equals("jobs") && s[2].equals("cancel")) {
      return new AuditCall(JOB_CANCEL, s[1], null);
    }
    if (s.length == 1 && s[0].equals("sessions")) {
      return new AuditCall(SESSION_OPEN, null, null);
    }
    if (s.length == 4 && s[0].equals("admin") && s[1].equals("backends") && s[3].equals("maintenance")) {
      return new AuditCall(BACKEND_MAINTENANCE, null, s[2]);
    }
    return null;
  }

  private static AuditCall patch(String[] s) {
    if (s.length == 2 && s[0].equals("sessions")) {
      return new AuditCall(SESSION_UPDATE, s[1], null);
    }
    if (s.length == 3 && s[0].equals("admin") && s[1].equals("backends")) {
      return new AuditCall(BACKEND_STATUS, s[2], s[2]);
    }
    return null;
  }

  private static AuditCall delete(String[] s) {
    if (s.length == 2 && s[0].equals("jobs")) {
      return new AuditCall(JOB_DELETE, s[1], null);
    }
    if (s.length == 3 && s[0].equals("sessions") && s[2].equals("close")) {
      return new AuditCall(SESSION_CLOSE, s[1], null);
    }
    return null;
  }
}
