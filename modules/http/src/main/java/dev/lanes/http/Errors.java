package dev.lanes.http;

import akka.http.javadsl.model.HttpResponse;
import akka.http.scaladsl.model.EntityStreamSizeException;
import dev.lanes.actors.job.InvalidJobException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps what went wrong to a status and api.md's error body: bad input is 4xx, never 5xx. */
final class Errors {
  private static final Logger log = LoggerFactory.getLogger(Errors.class);

  private Errors() {}

  static HttpResponse toResponse(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof ApiException a) {
      return Json.error(a.status(), a.getMessage());
    }
    if (e instanceof dev.lanes.actors.gateway.RateLimitedException r) { // issue 8 item 4
      return Json.error(429, r.getMessage()).addHeader(
          akka.http.javadsl.model.headers.RawHeader.create("Retry-After", Long.toString(r.retryAfterSeconds())));
    }
    if (e instanceof InvalidJobException i) {
      return Json.error(i.rejection().status(), i.rejection().message());
    }
    if (e instanceof EntityStreamSizeException s) {
      return Json.error(413, "request body is larger than jobs.max-payload (" + s.limit() + " bytes)");
    }
    if (e instanceof dev.lanes.actors.job.JobNotStoredException n) {
      return Json.error(503, n.getMessage() + "; nothing was accepted, retry");
    }
    if (e instanceof TimeoutException || e instanceof akka.pattern.AskTimeoutException) {
      return Json.error(503, "the scheduler did not answer in time (ask-timeout); retry");
    }
    log.error("unexpected failure while answering a request", e);
    return Json.error(500, "internal error: " + e.getClass().getSimpleName());
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
