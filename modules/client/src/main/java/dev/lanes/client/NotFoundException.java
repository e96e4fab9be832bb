package dev.lanes.client;

/** No such job, session, backend or program for this instance (404): objects of other instances are not found either. */
public final class NotFoundException extends LanesApiException {
  public NotFoundException(String message) {
    super(404, message);
  }
}
