package dev.lanes.core.session;

/** R10: open → active → inactive → active … → closed. */
public enum SessionStatus {
  OPEN, ACTIVE, INACTIVE, CLOSED;

  /** The name in the HTTP API. */
  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
