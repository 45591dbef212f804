package dev.medallion.io.http;

import java.io.IOException;

/**
 * A call that failed for good, with the kind of failure and, when there was one, the HTTP status.
 */
public class HttpFailure extends IOException {
  private static final long serialVersionUID = 1L;
  private final FailureType type;
  private final int status;

  public HttpFailure(FailureType type, int status, String message, Throwable cause) {
    super(message, cause);
    this.type = type;
    this.status = status;
  }

  public HttpFailure(FailureType type, int status, String message) {
    this(type, status, message, null);
  }

  public FailureType type() {
    return type;
  }

  /** The last HTTP status, or 0 when no response arrived. */
  public int status() {
    return status;
  }
}
