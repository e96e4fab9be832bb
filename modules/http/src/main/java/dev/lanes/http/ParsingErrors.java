package dev.lanes.http;

import akka.event.LoggingAdapter;
import akka.http.javadsl.model.HttpResponse;
import akka.http.scaladsl.model.ErrorInfo;
import akka.http.scaladsl.model.StatusCode;
import akka.http.scaladsl.settings.ServerSettings;

/**
 * Requests akka-http cannot parse (bad request line or target, illegal header bytes, too many or
 * too long headers, duplicate Content-Type, …) never reach the routes; this gives them api.md's
 * error body too (issue 8, item 2). Its own 5xx for what is only bad input become 4xx: an
 * unknown method (501) is a 405, an HTTP version other than 1.0/1.1 (505) a 400. Bound by
 * {@link HttpServer} as {@code akka.http.server.parsing.error-handler}.
 */
public final class ParsingErrors extends akka.http.ParsingErrorHandler {
  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    int code = switch (status.intValue()) {
      case 501 -> 405;
      case 505 -> 400;
      default -> status.intValue() >= 500 ? 400 : status.intValue();
    };
    String summary = info.summary() == null || info.summary().isBlank() ? status.reason() : info.summary();
    if (log.isDebugEnabled()) {
      log.debug("unparseable request, answered {}: {}", code, info.formatPretty());
    }
    return Json.error(code, "request not understood: " + summary);
  }
}
