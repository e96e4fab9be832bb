package dev.lanes.server.cli;

import dev.lanes.client.LanesApiException;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;

/**
 * The exit codes of {@code lanes}, for scripts (README "CLI", {@code lanes --help}). Every failure
 * is one of these; the message that goes with it is on stderr.
 */
final class ExitCodes {
  static final int OK = 0;
  static final int UNEXPECTED = 1;
  static final int USAGE = 2;
  static final int NOT_FOUND = 3;
  static final int UNAUTHORIZED = 4;
  static final int CONFLICT = 5;
  static final int BAD_REQUEST = 6;
  static final int UNAVAILABLE = 7;
  static final int JOB_FAILED = 8;

  /** The table shown in the footer of {@code lanes --help}. */
  static final String HELP = """
      %nExit codes:
        0  ok
        1  unexpected error
        2  usage error (unknown command or option, missing argument)
        3  not found (404: unknown job, session or backend)
        4  unauthorized or forbidden (401/403: bad token, not an admin)
        5  conflict (409: job already final, session closed; no results yet)
        6  bad request or limits (400/413/415/422)
        7  server unavailable (5xx, connection refused, timeout)
        8  a job waited for (--wait) ended Failed or Cancelled
      %nEnvironment:
        LANES_URL       server URL (default http://127.0.0.1:8080)
        LANES_TOKEN     API token (default demo-token)
        LANES_INSTANCE  the instance (Service-CRN) when the token has several""";

  private ExitCodes() {}

  /** The exit code for an API error status. */
  static int forStatus(int status) {
    if (status == 404) {
      return NOT_FOUND;
    }
    if (status == 401 || status == 403) {
      return UNAUTHORIZED;
    }
    if (status == 409) {
      return CONFLICT;
    }
    if (status >= 400 && status < 500) {
      return BAD_REQUEST;
    }
    if (status >= 500) {
      return UNAVAILABLE;
    }
    return UNEXPECTED; // e.g. a 2xx answer without the body it should have
  }

  /** The exit code for what a command threw. */
  static int forException(Throwable e) {
    if (e instanceof CliException c) {
      return c.exitCode();
    }
    if (e instanceof LanesApiException a) {
      return forStatus(a.status());
    }
    if (e instanceof UncheckedIOException u && !(u.getCause() instanceof java.io.InterruptedIOException)
        || e instanceof HttpTimeoutException) {
      return UNAVAILABLE;
    }
    return UNEXPECTED;
  }

  /** The one-line message for stderr. */
  static String message(Throwable e) {
    if (e instanceof CliException c) {
      return c.getMessage();
    }
    if (e instanceof LanesApiException a) {
      String what = switch (forStatus(a.status())) {
        case NOT_FOUND -> "not found";
        case UNAUTHORIZED -> a.status() == 401 ? "unauthorized" : "forbidden";
        case CONFLICT -> "conflict";
        case BAD_REQUEST -> "rejected";
        case UNAVAILABLE -> "server error";
        default -> "unexpected answer";
      };
      return what + " (HTTP " + a.status() + "): " + a.getMessage();
    }
    if (forException(e) == UNAVAILABLE) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String hint = cause instanceof java.net.ConnectException
          ? " (nothing answers there: is the server running? --url or LANES_URL selects it)"
          : cause instanceof HttpTimeoutException ? " (--timeout sets how long to wait)" : "";
      return "server unavailable: " + e.getMessage() + hint;
    }
    return e.getMessage() != null ? e.toString() : e.getClass().getName();
  }
}
