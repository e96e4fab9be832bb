package dev.lanes.actors.job;

import dev.lanes.core.model.Rejection;

/** A request that can never become a job (R4); carries the 4xx to answer. */
public final class InvalidJobException extends RuntimeException {
  private final transient Rejection rejection;

  public InvalidJobException(Rejection rejection) {
    super(rejection.message(), null, false, false);
    this.rejection = rejection;
  }

  public Rejection rejection() {
    return rejection;
  }

  static InvalidJobException bad(String field, String message) {
    return new InvalidJobException(Rejection.badRequest(field, field + ": " + message));
  }
}
