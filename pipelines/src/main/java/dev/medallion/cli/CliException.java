package dev.medallion.cli;

/** A failure the user can fix; its message says how. */
class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  CliException(String message) {
    this(message, null, 1);
  }

  CliException(String message, Throwable cause) {
    this(message, cause, 1);
  }

  CliException(String message, Throwable cause, int exitCode) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** Bad flags or values: exit code 2, as picocli uses for usage errors. */
  static CliException usage(String message, Throwable cause) {
    return new CliException(message, cause, 2);
  }

  int exitCode() {
    return exitCode;
  }
}
