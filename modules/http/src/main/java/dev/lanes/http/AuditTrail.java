package dev.lanes.http;

import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import akka.japi.function.Creator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.core.audit.AuditCall;
import dev.lanes.core.audit.AuditEntry;
import dev.lanes.core.audit.AuditLog;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 8: every state-changing call (AuditCall) is appended to the audit log with its result
 * before its answer is sent, refused ones too: who (the token's user, never the token), the
 * instance, what (method, path, action, object, backend), the status, when (the clock, at
 * arrival) and the request id, which the answer carries as {@code X-Request-Id} (an error body's
 * {@code trace} is that id). Appends are batched by the store, so concurrent calls share one write.
 * If the store does not confirm within the ask timeout, or fails, the answer goes anyway (the state
 * change has happened; a 5xx would make clients retry it) and the failure is logged. While the
 * storage probe finds storage away (issue 8, item 6) writes are refused with a 503 at once, and
 * their entries are not waited for either: they are written if storage answers, else lost.
 */
final class AuditTrail {
  static final String REQUEST_ID = "X-Request-Id";
  private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

  private final AuditLog store;
  private final Auth auth;
  private final Clock clock;
  private final long waitMillis;
  private final Supplier<Optional<String>> storageProblem;
  /** When a failure was last logged, and how many were not logged since: one line per 10 s at most. */
  private final AtomicLong lastLogged = new AtomicLong();
  private final AtomicLong unlogged = new AtomicLong();

  AuditTrail(AuditLog store, Auth auth, Clock clock, Duration wait, Supplier<Optional<String>> storageProblem) {
    this.store = store;
    this.auth = auth;
    this.clock = clock;
    this.waitMillis = wait.toMillis();
    this.storageProblem = storageProblem;
  }

  AuditLog store() {
    return store;
  }

  /** The answer to {@code req}, recorded first if the call changes state. */
  CompletionStage<HttpResponse> around(HttpRequest req, Creator<CompletionStage<HttpResponse>> answer) throws Exception {
    AuditCall call = store.enabled() ? AuditCall.of(req.method().value(), req.getUri().path()).orElse(null) : null;
    if (call == null) {
      return answer.create();
    }
    Instant at = clock.instant();
    CompletionStage<HttpResponse> a;
    try {
      a = answer.create();
    } catch (Exception e) {
      a = CompletableFuture.failedFuture(e);
    }
    // a failure that escaped the routes is answered as they would answer it, and recorded so
    return a.handle((resp, failure) -> resp != null ? resp : Errors.toResponse(failure))
        .thenCompose(resp -> {
          try {
            return record(call, req, at, resp);
          } catch (RuntimeException e) {
            log.error("audit entry not written (answering anyway): {} {}", req.method().value(), req.getUri().path(), e);
            return CompletableFuture.completedFuture(resp);
          }
        });
  }

  private CompletionStage<HttpResponse> record(AuditCall call, HttpRequest req, Instant at, HttpResponse resp) {
    int status = resp.status().intValue();
    JsonNode body = status >= 400 || (call.idInAnswer() && status < 300) ? body(resp) : null;
    String trace = body != null && body.path("trace").isTextual() ? body.get("trace").textValue() : null;
    if (trace == null) {
      trace = requestId();
    }
    String objectId = call.objectId();
    String backend = call.backend();
    if (call.idInAnswer() && status < 300 && body != null) {
      objectId = body.path("id").isTextual() ? body.get("id").textValue() : null;
      if (backend == null) {
        JsonNode b = body.has("backend_name") ? body.get("backend_name") : body.get("backend");
        backend = b != null && b.isTextual() ? b.textValue() : null;
      }
    }
    Principal who = auth.identify(req);
    AuditEntry entry = new AuditEntry(at, null, who.user(), who.instance(), who.admin(), req.method().value(),
        req.getUri().path(), call.action(), objectId, backend, status, trace);
    HttpResponse answer = resp.addHeader(RawHeader.create(REQUEST_ID, trace));
    CompletableFuture<Void> written = store.append(entry).toCompletableFuture();
    if (storageProblem.get().isPresent()) {
      written.whenComplete((v, e) -> failed(entry, e));
      return CompletableFuture.completedFuture(answer);
    }
    return written.orTimeout(waitMillis, TimeUnit.MILLISECONDS).handle((v, e) -> {
      failed(entry, e);
      return answer;
    });
  }

  private void failed(AuditEntry entry, Throwable e) {
    if (e == null) {
      return;
    }
    long now = System.nanoTime();
    long last = lastLogged.get();
    if (last != 0 && now - last < TimeUnit.SECONDS.toNanos(10) || !lastLogged.compareAndSet(last, now)) {
      unlogged.incrementAndGet();
      return;
    }
    log.error("audit entry not confirmed (answered anyway): {} {} {} by {}: {} ({} more since the last such line)",
        entry.method(), entry.path(), entry.status(), entry.user(), Errors.unwrap(e).toString(), unlogged.getAndSet(0));
  }

  private static JsonNode body(HttpResponse resp) {
    if (!(resp.entity() instanceof HttpEntity.Strict s) || s.getData().isEmpty()) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(s.getData().toArray());
    } catch (IOException e) {
      return null;
    }
  }

  /** A random (version 4) id, without SecureRandom's lock on the submit path. */
  private static String requestId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & ~(0xCL << 60)) | (0x8L << 60);
    return new UUID(msb, lsb).toString();
  }
}
