package dev.lanes.core.circuit;

/** A program that {@link QasmParser} refuses; the message names the line and the problem. */
public final class QasmException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int line;

  public QasmException(int line, String problem) {
    super("line " + line + ": " + problem);
    this.line = line;
  }

  /** The 1-based line of the offending token. */
  public int line() {
    return line;
  }
}
