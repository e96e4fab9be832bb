package dev.lanes.http;

import static akka.http.javadsl.server.PathMatchers.segment;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.server.Route;
import dev.lanes.actors.gateway.SchedulerGateway;
import dev.lanes.core.audit.AuditEntry;
import dev.lanes.core.audit.AuditLog;
import dev.lanes.core.audit.AuditQuery;
import java.time.Clock;
import java.util.Map;

/** {@code GET /api/v1/admin/audit} (issue 8): the audit log, filtered, newest first; admin tokens only. */
final class AuditRoutes extends ApiDirectives {
  private final AuditLog store;

  AuditRoutes(SchedulerGateway gateway, Clock clock, AuditLog store) {
    super(gateway, clock);
    this.store = store;
  }

  Route route(Principal p, HttpRequest req) {
    return path(segment("admin").slash("audit"), () -> get(() -> {
      if (!p.admin()) {
        throw new ApiException(403, "admin calls need a token with admin = true");
      }
      if (!store.enabled()) {
        throw ApiException.notFound("the audit log is off (lanes.audit.enabled = false)");
      }
      AuditQuery q;
      try {
        q = AuditQuery.parse(req.getUri().query().toMultiMap());
      } catch (AuditQuery.BadFilter e) {
        throw ApiException.badRequest(e.getMessage());
      }
      return answer(store.find(q).thenApply(page -> Json.ok(Json.obj(
          "entries", page.entries().stream().map(AuditRoutes::entry).toList(),
          "count", page.total(), "limit", q.limit(), "offset", q.offset()))));
    }));
  }

  static Map<String, Object> entry(AuditEntry e) {
    return Json.obj("at", Json.time(e.at()), "user", e.user(), "instance", e.instance(), "admin", e.admin(),
        "method", e.method(), "path", e.path(), "action", e.action(), "object_id", e.objectId(),
        "backend", e.backend(), "status", e.status(), "trace", e.trace(), "node", e.node());
  }
}
