package dev.lanes.http;

import dev.lanes.core.model.Rejection;

/** An answer other than success, thrown from a route and rendered as api.md's error body. */
public final class ApiException extends RuntimeException {
  private final int status;

  public ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public static ApiException of(Rejection r) {
    return new ApiException(r.status(), r.message());
  }

  public int status() {
    return status;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, message);
  }
}
