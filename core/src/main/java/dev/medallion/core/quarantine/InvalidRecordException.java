package dev.medallion.core.quarantine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medallion.ops.ErrorClass;

/**
 * A record that failed validation, with the reason and its {@link ErrorClass}; the record goes to
 * the quarantine.
 */
public final class InvalidRecordException extends Exception {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = dev.medallion.core.RecordJson.mapper();

  private final ErrorClass errorClass;

  public InvalidRecordException(ErrorClass errorClass, String reason) {
    super(reason);
    this.errorClass = errorClass;
  }

  public ErrorClass errorClass() {
    return errorClass;
  }

  public static InvalidRecordException missing(String field) {
    return new InvalidRecordException(ErrorClass.MISSING_FIELD, "missing " + field);
  }

  /** The raw record as a JSON object, or the reason it is not one. */
  public static JsonNode readObject(String raw) throws InvalidRecordException {
    JsonNode record;
    try {
      record = MAPPER.readTree(raw);
    } catch (JsonProcessingException e) {
      throw new InvalidRecordException(
          ErrorClass.MALFORMED_RECORD, "raw record is not JSON: " + e.getOriginalMessage());
    }
    if (record == null || !record.isObject()) {
      throw new InvalidRecordException(
          ErrorClass.MALFORMED_RECORD, "raw record is not a JSON object");
    }
    return record;
  }
}
