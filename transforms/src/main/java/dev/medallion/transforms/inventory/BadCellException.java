package dev.medallion.transforms.inventory;

import dev.medallion.ops.ErrorClass;

/**
 * One cell that cannot be read: the row it is on is quarantined, the rest of the file lands. The
 * message names the cell, e.g. {@code Stock!D17: 'twelve' is not a number}.
 */
public final class BadCellException extends Exception {
  private static final long serialVersionUID = 1L;
  private final ErrorClass errorClass;

  public BadCellException(ErrorClass errorClass, String message) {
    super(message);
    this.errorClass = errorClass;
  }

  public ErrorClass errorClass() {
    return errorClass;
  }
}
