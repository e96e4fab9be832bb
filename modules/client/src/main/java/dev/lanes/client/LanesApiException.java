package dev.lanes.client;

/**
 * A non-2xx answer of the Lanes HTTP API: its status and the server's own message
 * ({@code errors[0].message} of the error body, api.md "Conventions"), or the raw body when the
 * answer carried no such body. Thrown as one of the subclasses that says what kind of failure it
 * is ({@link #of}), so callers can catch what they can act on.
 */
public class LanesApiException extends RuntimeException {
  private final int status;

  public LanesApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  LanesApiException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The exception for an answer with this status: typed where the status says what to do. */
  public static LanesApiException of(int status, String message) {
    return switch (status) {
      case 400, 413, 415, 422 -> new InvalidRequestException(status, message);
      case 401, 403 -> new NotAuthorizedException(status, message);
      case 404 -> new NotFoundException(message);
      case 409 -> new ConflictException(message);
      case 429 -> new RateLimitedException(message);
      default -> status >= 500 ? new ServiceUnavailableException(status, message, null)
          : new LanesApiException(status, message);
    };
  }

  /** The HTTP status code of the answer; 0 when no answer came (connection refused, timed out). */
  public int status() {
    return status;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + status + "): " + getMessage();
  }
}
