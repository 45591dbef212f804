package dev.medallion.platform;

/** Flags or values a run cannot start with; the message names each flag and what it accepts. */
public final class UsageError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageError(String message) {
    super(message);
  }
}
