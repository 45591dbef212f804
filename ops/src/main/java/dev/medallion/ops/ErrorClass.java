package dev.medallion.ops;

import java.util.Locale;

/**
 * Why a record was set aside, in a small fixed vocabulary that the data-quality reports count. The
 * reason text says the rest (which field, which value, what the database answered).
 */
public enum ErrorClass {
  /** A required field is absent or empty. */
  MISSING_FIELD,
  /** A field holds a value of the wrong type: text where a number or a timestamp belongs. */
  INVALID_TYPE,
  /**
   * A field has the right type but a value the rules refuse: negative, out of range, unknown code.
   */
  INVALID_VALUE,
  /**
   * A record that cannot be read at all: not a JSON object, a CSV row with the wrong number of
   * fields.
   */
  MALFORMED_RECORD,
  /** A whole file that cannot be read: truncated, empty, binary, wrong encoding. */
  MALFORMED_FILE,
  /** A file whose format no record reader takes. */
  UNSUPPORTED_FORMAT,
  /** A record whose key an earlier record already holds. */
  DUPLICATE,
  /** An API request that failed after its retries. */
  REQUEST_FAILED,
  /** A record the database refused. */
  REJECTED_BY_SINK;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ErrorClass parse(String label) {
    return valueOf(label.strip().toUpperCase(Locale.ROOT));
  }
}
