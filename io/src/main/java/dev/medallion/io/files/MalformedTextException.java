package dev.medallion.io.files;

/**
 * Bytes that are not text of the charset a reader expects; the message says where (the byte and its
 * offset) or what the file is instead.
 */
public final class MalformedTextException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public MalformedTextException(String message) {
    super(message);
  }
}
