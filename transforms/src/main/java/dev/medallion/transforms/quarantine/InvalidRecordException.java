package dev.medallion.transforms.quarantine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A record that failed validation, with the reason; the record goes to the quarantine. */
public final class InvalidRecordException extends Exception {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public InvalidRecordException(String reason) {
    super(reason);
  }

  /** The raw record as a JSON object, or the reason it is not one. */
  public static JsonNode readObject(String raw) throws InvalidRecordException {
    JsonNode record;
    try {
      record = MAPPER.readTree(raw);
    } catch (JsonProcessingException e) {
      throw new InvalidRecordException("raw record is not JSON: " + e.getOriginalMessage());
    }
    if (record == null || !record.isObject()) {
      throw new InvalidRecordException("raw record is not a JSON object");
    }
    return record;
  }
}
