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
 * an error. A value that reads but does not fit its PostgreSQL column (an id past the column's
 * integer range, a year past 9999, text holding NUL) is a {@link RefusedValue}, never wrapped, cut
 * or left for the database to refuse.
 */
public enum ColumnType {
  TEXT {
    @Override
    Object read(JsonNode value) {
      return withoutNul(value.isValueNode() ? value.asText() : value.toString());
    }
  },
  /** "" becomes null. */
  TEXT_OR_NULL {
    @Override
    Object read(JsonNode value) {
      String text = withoutNul(value.asText());
      return text.isEmpty() ? null : text;
    }
  },
  /** Stray whitespace (a trailing carriage return) removed; "" becomes null. */
  TEXT_TRIMMED {
    @Override
    Object read(JsonNode value) {
      String text = withoutNul(value.asText()).strip();
      return text.isEmpty() ? null : text;
    }
  },
  /** PostgreSQL INTEGER (32 bits). */
  INTEGER {
    @Override
    Object read(JsonNode value) {
      return wholeNumber(value, Integer.MIN_VALUE, Integer.MAX_VALUE, "integer");
    }
  },
  /** PostgreSQL BIGINT (64 bits): the show ids. */
  BIGINT {
    @Override
    Object read(JsonNode value) {
      return wholeNumber(value, Long.MIN_VALUE, Long.MAX_VALUE, "bigint");
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
            LocalDate date;
            try {
              date = LocalDate.parse(text);
            } catch (DateTimeParseException e) {
              throw notA(text, "a date (YYYY-MM-DD)");
            }
            withinYears(text, date.getYear(), "date");
            return date.toString();
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
            LocalDateTime time;
            try {
              time = LocalDateTime.parse(text, SOURCE_TIMESTAMP);
            } catch (DateTimeParseException e) {
              throw notA(text, "a timestamp (YYYY-MM-DD HH:MM:SS)");
            }
            withinYears(text, time.getYear(), "timestamp");
            return time.getYear() <= 1000 ? null : time.toString();
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

  /** A value that reads but that its column cannot hold. */
  public static final class RefusedValue extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    RefusedValue(String message) {
      super(message);
    }
  }

  /**
   * The years silver keeps: PostgreSQL's DATE and TIMESTAMP reach further (to 4713 BC and 294276
   * AD), but their text form, Java's and the API's agree only on four-digit years, and a show in
   * year 10000 is a broken row, not a future show.
   */
  static final int FIRST_YEAR = 1;

  static final int LAST_YEAR = 9999;

  private static void withinYears(String text, int year, String type) {
    if (year < FIRST_YEAR || year > LAST_YEAR) {
      throw new RefusedValue(text + " is out of range for " + type + " (years 0001 to 9999)");
    }
  }

  /**
   * A whole number (a JSON number or digit string) within [min, max], read exactly: a number past
   * 64 bits is refused, never wrapped onto another row's id.
   */
  private static Object wholeNumber(JsonNode value, long min, long max, String type) {
    String text =
        value.isIntegralNumber() ? value.bigIntegerValue().toString() : value.asText().strip();
    if (text.isEmpty()) {
      return null;
    }
    if (!text.matches("-?\\d+")) {
      throw notA(text, "a whole number");
    }
    java.math.BigInteger number = new java.math.BigInteger(text);
    if (number.compareTo(java.math.BigInteger.valueOf(min)) < 0
        || number.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
      throw new RefusedValue(
          text + " is out of range for " + type + " (" + min + " to " + max + ")");
    }
    return number.longValueExact();
  }

  /** PostgreSQL text cannot hold U+0000; the row is refused rather than altered. */
  private static String withoutNul(String text) {
    int at = text.indexOf('\u0000');
    if (at >= 0) {
      throw new RefusedValue(
          "holds a NUL character (\\u0000) at index "
              + at
              + ", which PostgreSQL text cannot store");
    }
    return text;
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
