package dev.lanes.core.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The filters of {@code GET /api/v1/admin/audit} (issue 8): every one optional, all must hold.
 * {@code statusFrom..statusTo} is one code ({@code 404}) or a class ({@code 4xx}); {@code since} is
 * inclusive, {@code until} exclusive. Answers are newest first, {@code limit} from {@code offset}.
 * {@link #matches} is the meaning; a store may evaluate it another way (SQL) but not differently.
 */
public record AuditQuery(String user, String instance, String action, String method, Integer statusFrom,
    Integer statusTo, Instant since, Instant until, String objectId, String backend, String node, int limit,
    int offset) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;
  /** The query parameters understood; any other is refused (a misspelt filter would match everything). */
  public static final Set<String> PARAMETERS = Set.of("user", "instance", "action", "method", "status", "since",
      "until", "object_id", "backend", "node", "limit", "offset");
  /** The methods of the audited calls. */
  public static final List<String> METHODS = List.of("POST", "PATCH", "DELETE");

  /** Everything, newest first, the default page. */
  public static AuditQuery all() {
    return new AuditQuery(null, null, null, null, null, null, null, null, null, null, null, DEFAULT_LIMIT, 0);
  }

  public AuditQuery withPage(int limit, int offset) {
    return new AuditQuery(user, instance, action, method, statusFrom, statusTo, since, until, objectId, backend, node,
        limit, offset);
  }

  /** A filter value that is not one: the message starts with the parameter's name. */
  public static final class BadFilter extends IllegalArgumentException {
    private final String parameter;

    BadFilter(String parameter, String why) {
      super(parameter + ": " + why);
      this.parameter = parameter;
    }

    public String parameter() {
      return parameter;
    }
  }

  /** The query from the request's parameters; a bad or unknown one is a {@link BadFilter} naming it. */
  public static AuditQuery parse(Map<String, List<String>> params) {
    Set<String> unknown = new TreeSet<>(params.keySet());
    unknown.removeAll(PARAMETERS);
    if (!unknown.isEmpty()) {
      String name = unknown.iterator().next();
      throw new BadFilter(name, "unknown filter; the filters are " + String.join(", ", new TreeSet<>(PARAMETERS)));
    }
    String action = one(params, "action");
    if (action != null && !AuditCall.ACTIONS.contains(action)) {
      throw new BadFilter("action", "must be one of " + String.join(", ", AuditCall.ACTIONS) + ", got '" + action + "'");
    }
    String method = one(params, "method");
    if (method != null) {
      method = method.toUpperCase(Locale.ROOT);
      if (!METHODS.contains(method)) {
        throw new BadFilter("method", "must be one of " + String.join(", ", METHODS) + ", got '" + one(params, "method") + "'");
      }
    }
    Integer from = null;
    Integer to = null;
    String status = one(params, "status");
    if (status != null) {
      int[] range = status(status);
      from = range[0];
      to = range[1];
    }
    Instant since = time(params, "since");
    Instant until = time(params, "until");
    if (since != null && until != null && !until.isAfter(since)) {
      throw new BadFilter("until", "must be after since");
    }
    return new AuditQuery(one(params, "user"), one(params, "instance"), action, method, from, to, since, until,
        one(params, "object_id"), one(params, "backend"), one(params, "node"),
        integer(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT), integer(params, "offset", 0, 0, Integer.MAX_VALUE));
  }

  /** Whether {@code e} passes every filter (the page is not a filter). */
  public boolean matches(AuditEntry e) {
    return (user == null || user.equals(e.user()))
        && (instance == null || instance.equals(e.instance()))
        && (action == null || action.equals(e.action()))
        && (method == null || method.equals(e.method()))
        && (statusFrom == null || (e.status() >= statusFrom && e.status() <= statusTo))
        && (since == null || !e.at().isBefore(since))
        && (until == null || e.at().isBefore(until))
        && (objectId == null || objectId.equals(e.objectId()))
        && (backend == null || backend.equals(e.backend()))
        && (node == null || node.equals(e.node()));
  }

  private static String one(Map<String, List<String>> params, String name) {
    List<String> v = params.get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (v.size() > 1) {
      throw new BadFilter(name, "give it once, got " + v.size() + " values");
    }
    String s = v.get(0).trim();
    if (s.isEmpty()) {
      throw new BadFilter(name, "must not be empty");
    }
    return s;
  }

  private static int[] status(String s) {
    String why = "must be a status code such as 404 or a class such as 4xx, got '" + s + "'";
    if (s.length() == 3 && (s.endsWith("xx") || s.endsWith("XX")) && s.charAt(0) >= '1' && s.charAt(0) <= '5') {
      int c = (s.charAt(0) - '0') * 100;
      return new int[] {c, c + 99};
    }
    try {
      int n = Integer.parseInt(s);
      if (n < 100 || n > 599) {
        throw new BadFilter("status", why);
      }
      return new int[] {n, n};
    } catch (NumberFormatException e) {
      throw new BadFilter("status", why);
    }
  }

  private static Instant time(Map<String, List<String>> params, String name) {
    String v = one(params, name);
    if (v == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw new BadFilter(name, "must be an ISO-8601 timestamp such as 2026-11-25T18:40:16Z, got '" + v + "'");
    }
  }

  private static int integer(Map<String, List<String>> params, String name, int dflt, int min, int max) {
    String v = one(params, name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new BadFilter(name, "must be an integer from " + min + " to " + max + ", got '" + v + "'");
  }
}
