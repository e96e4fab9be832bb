package dev.lanes.client;

/** No valid token (401), or the token may not do this or use this instance (403). */
public final class NotAuthorizedException extends LanesApiException {
  public NotAuthorizedException(int status, String message) {
    super(status, message);
  }
}
