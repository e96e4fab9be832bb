package dev.lanes.client;

/**
 * A non-2xx answer of the Lanes HTTP API: its status and the server's own message
 * ({@code errors[0].message} of the error body, api.md "Conventions"), or the raw body when the
 * answer carried no such body.
 */
public final class LanesApiException extends RuntimeException {
  private final int status;

  public LanesApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status code of the answer. */
  public int status() {
    return status;
  }

  @Override
  public String toString() {
    return "LanesApiException(" + status + "): " + getMessage();
  }
}
