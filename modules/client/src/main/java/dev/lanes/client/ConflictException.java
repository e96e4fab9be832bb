package dev.lanes.client;

/** The object is not in a state that allows this (409): a final job cancelled, a closed session given a job, a usage limit reached. */
public final class ConflictException extends LanesApiException {
  public ConflictException(String message) {
    super(409, message);
  }
}
