package dev.lanes.client;

/** The request can never succeed as sent: bad field, over a limit, not JSON (400, 413, 415, 422). The message names the field or limit. */
public final class InvalidRequestException extends LanesApiException {
  public InvalidRequestException(int status, String message) {
    super(status, message);
  }
}
