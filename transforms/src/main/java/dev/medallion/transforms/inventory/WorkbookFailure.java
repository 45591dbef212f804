package dev.medallion.transforms.inventory;

/**
 * A whole file that cannot be read: corrupt, encrypted, a zip bomb, no such sheet, no header row
 * with the required columns. It fails that file alone; the message names the file and, where they
 * apply, the sheet, row and column.
 */
public final class WorkbookFailure extends Exception {
  private static final long serialVersionUID = 1L;

  public WorkbookFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
