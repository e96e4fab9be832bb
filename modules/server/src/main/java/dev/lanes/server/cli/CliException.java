package dev.lanes.server.cli;

/** A failure the CLI itself decides on, with its exit code ({@link ExitCodes}) and its message. */
final class CliException extends RuntimeException {
  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
