package dev.medallion.io.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields that identify a row of a stream; the key is their values joined by '/'. A field may be
 * a dotted path into nested objects ("track.id"), so rows keep the API's own shape.
 */
public final class NaturalKey implements Serializable {
  private static final long serialVersionUID = 1L;
  private final List<String> fields;

  private NaturalKey(List<String> fields) {
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("A natural key needs at least one field");
    }
    this.fields = List.copyOf(fields);
  }

  /** e.g. {@code NaturalKey.of("show_id", "person_id")}. */
  public static NaturalKey of(String... fields) {
    return new NaturalKey(List.of(fields));
  }

  public List<String> fields() {
    return fields;
  }

  /** The row's key, or null when a key field is missing, null, blank or not a plain value. */
  public String valueIn(JsonNode row) {
    List<String> parts = new ArrayList<>();
    for (String field : fields) {
      JsonNode value = row;
      for (String part : field.split("\\.", -1)) {
        value = value == null || !value.isObject() ? null : value.get(part);
      }
      if (value == null || value.isNull() || !value.isValueNode() || value.asText().isBlank()) {
        return null;
      }
      parts.add(value.asText().strip());
    }
    return String.join("/", parts);
  }

  @Override
  public String toString() {
    return String.join(", ", fields);
  }
}
