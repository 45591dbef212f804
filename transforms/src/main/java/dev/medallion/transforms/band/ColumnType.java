package dev.medallion.transforms.band;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * How one API field becomes one silver value (src/docs/API-REFERENCE.md's traps): ids arrive as
 * numbers or digit strings, flags as 0/1, timestamps without a zone and with a "1000-01-01"
 * sentinel, track times as "m:ss". A missing or null field is null; a value that cannot be read is
 * an error.
 */
public enum ColumnType {
  TEXT {
    @Override
    Object read(JsonNode value) {
      return value.isValueNode() ? value.asText() : value.toString();
    }
  },
  /** "" becomes null. */
  TEXT_OR_NULL {
    @Override
    Object read(JsonNode value) {
      String text = value.asText();
      return text.isEmpty() ? null : text;
    }
  },
  /** Stray whitespace (a trailing carriage return) removed; "" becomes null. */
  TEXT_TRIMMED {
    @Override
    Object read(JsonNode value) {
      String text = value.asText().strip();
      return text.isEmpty() ? null : text;
    }
  },
  INTEGER {
    @Override
    Object read(JsonNode value) {
      if (value.isIntegralNumber()) {
        return value.longValue();
      }
      return unlessBlank(
          value,
          text -> {
            if (!text.matches("-?\\d{1,18}")) {
              throw notA(text, "a whole number");
            }
            return Long.parseLong(text);
          });
    }
  },
  /** 0 means unknown: null. */
  POSITIVE_INTEGER {
    @Override
    Object read(JsonNode value) {
      Object number = INTEGER.read(value);
      return number == null || (Long) number <= 0 ? null : number;
    }
  },
  /** 0/1, "0"/"1" or true/false. */
  FLAG {
    @Override
    Object read(JsonNode value) {
      if (value.isBoolean()) {
        return value.booleanValue();
      }
      String text = value.asText().strip().toLowerCase(Locale.ROOT);
      switch (text) {
        case "1", "true" -> {
          return true;
        }
        case "0", "false" -> {
          return false;
        }
        case "" -> {
          return null;
        }
        default -> throw new IllegalArgumentException("'" + value.asText() + "' is not a 0/1 flag");
      }
    }
  },
  /** YYYY-MM-DD. */
  DATE {
    @Override
    Object read(JsonNode value) {
      return unlessBlank(
          value,
          text -> {
            try {
              return LocalDate.parse(text).toString();
            } catch (DateTimeParseException e) {
              throw notA(text, "a date (YYYY-MM-DD)");
            }
          });
    }
  },
  /** "YYYY-MM-DD HH:MM:SS" without a zone; the sentinel year 1000 means unknown. */
  TIMESTAMP {
    @Override
    Object read(JsonNode value) {
      return unlessBlank(
          value,
          text -> {
            try {
              LocalDateTime time = LocalDateTime.parse(text, SOURCE_TIMESTAMP);
              return time.getYear() <= 1000 ? null : time.toString();
            } catch (DateTimeParseException e) {
              throw notA(text, "a timestamp (YYYY-MM-DD HH:MM:SS)");
            }
          });
    }
  },
  /** "m:ss" or "h:mm:ss" to seconds; "" is null. */
  DURATION_SECONDS {
    @Override
    Object read(JsonNode value) {
      return unlessBlank(
          value,
          text -> {
            if (!text.matches("\\d{1,3}(:[0-5]\\d){1,2}")) {
              throw notA(text, "a track time (m:ss)");
            }
            long seconds = 0;
            for (String part : text.split(":")) {
              seconds = seconds * 60 + Long.parseLong(part);
            }
            return seconds;
          });
    }
  },
  /** A set number: "e", "e2", ... are encores. */
  ENCORE {
    @Override
    Object read(JsonNode value) {
      return value.asText().strip().toLowerCase(Locale.ROOT).startsWith("e");
    }
  };

  private static final DateTimeFormatter SOURCE_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /**
   * Blank text is null; anything else is parsed, and a parser that cannot says what it expected.
   */
  private static Object unlessBlank(
      JsonNode value, java.util.function.Function<String, Object> parse) {
    String text = value.asText().strip();
    return text.isEmpty() ? null : parse.apply(text);
  }

  private static IllegalArgumentException notA(String text, String expected) {
    return new IllegalArgumentException("'" + text + "' is not " + expected);
  }

  /** The value of a present, non-null field. */
  abstract Object read(JsonNode value);

  /** The value of a field that may be missing or null. */
  public Object convert(JsonNode value) {
    return value == null || value.isNull() || value.isMissingNode() ? null : read(value);
  }
}
