package dev.lanes.client;

/** The server failed (5xx) or did not answer (status 0), after the client's retries: the request may be tried again later. */
public final class ServiceUnavailableException extends LanesApiException {
  public ServiceUnavailableException(int status, String message, Throwable cause) {
    super(status, message, cause);
  }
}
