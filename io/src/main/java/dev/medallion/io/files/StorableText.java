package dev.medallion.io.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * What PostgreSQL text and jsonb cannot hold although JSON and CSV can: the character U+0000 (NUL),
 * raw or as the escape {@code \u0000}. A record holding it would fail its whole bronze batch (and
 * every re-run), so it is found here first and set aside with the field and position named.
 */
public final class StorableText {
  private static final ObjectMapper MAPPER = dev.medallion.core.RecordJson.mapper();
  private static final char NUL = '\u0000';
  private static final String NUL_ESCAPE = "\\u0000";

  private StorableText() {}

  /** Why a record's JSON text cannot be stored, or empty when it can. */
  public static Optional<String> problemIn(String json) {
    if (json.indexOf(NUL) < 0 && !json.contains(NUL_ESCAPE)) {
      return Optional.empty();
    }
    try {
      return problemIn("", MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      int at = json.indexOf(NUL);
      return at < 0 ? Optional.empty() : Optional.of("the record " + holds(at));
    }
  }

  private static Optional<String> problemIn(String path, JsonNode node) {
    if (node.isTextual()) {
      int at = node.textValue().indexOf(NUL);
      return at < 0 ? Optional.empty() : Optional.of("field " + path + " " + holds(at));
    }
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String name = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        int at = field.getKey().indexOf(NUL);
        if (at >= 0) {
          return Optional.of(
              "the field name " + name.replace("\u0000", NUL_ESCAPE) + " " + holds(at));
        }
        Optional<String> inValue = problemIn(name, field.getValue());
        if (inValue.isPresent()) {
          return inValue;
        }
      }
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        Optional<String> inElement = problemIn(path + "[" + i + "]", node.get(i));
        if (inElement.isPresent()) {
          return inElement;
        }
      }
    }
    return Optional.empty();
  }

  private static String holds(int index) {
    return "holds the character U+0000 (NUL) at position "
        + (index + 1)
        + ", which PostgreSQL text cannot store";
  }
}
