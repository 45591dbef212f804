package dev.medallion.platform;

/** A run that cannot go on, with a message that says what happened and what to do next. */
public final class RunFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RunFailure(String message, Throwable cause) {
    super(message, cause);
  }

  public RunFailure(String message) {
    super(message);
  }
}
