package dev.medallion.orchestrator;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A five-field cron expression ({@code minute hour day-of-month month day-of-week}, as crontab(5)
 * and GitHub Actions read it) evaluated in a time zone.
 *
 * <p>Each local date-time that matches fires once, at {@link ZonedDateTime#of}'s instant for it:
 *
 * <ul>
 *   <li>a local time the clocks skip (02:30 on the day Paris springs forward) fires at the instant
 *       it would have been without the change (01:30 UTC, shown as 03:30 CEST), so it is neither
 *       lost nor doubled;
 *   <li>a local time that happens twice (02:30 on the day Paris falls back) fires at its first
 *       occurrence only (00:30 UTC, 02:30 CEST), so a job never runs twice for one fire time.
 * </ul>
 *
 * <p>Fields take {@code *}, numbers, ranges {@code a-b}, steps {@code * / n} and {@code a-b/n},
 * lists, and the names JAN-DEC and SUN-SAT; day-of-week 7 is Sunday too. When both day fields are
 * restricted a day matches either (crontab's rule). Macros: {@code @hourly}, {@code @daily}, {@code
 * @weekly}, {@code @monthly}, {@code @yearly}.
 */
public final class Cron {
  /** How far {@link #lastAtOrBefore} and {@link #nextAfter} look (a Feb 29 cron fires in 8). */
  private static final int SEARCH_DAYS = 8 * 366 + 2;

  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  private final String expression;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean domRestricted;
  private final boolean dowRestricted;
  private final List<LocalTime> times;

  private Cron(String expression, BitSet[] fields, boolean domRestricted, boolean dowRestricted) {
    this.expression = expression;
    this.minutes = fields[0];
    this.hours = fields[1];
    this.daysOfMonth = fields[2];
    this.months = fields[3];
    this.daysOfWeek = fields[4];
    this.domRestricted = domRestricted;
    this.dowRestricted = dowRestricted;
    this.times =
        hours.stream()
            .boxed()
            .flatMap(h -> minutes.stream().mapToObj(m -> LocalTime.of(h, m)))
            .toList();
  }

  /**
   * Reads an expression; an {@link IllegalArgumentException} says what is wrong with it (without
   * repeating the expression).
   */
  public static Cron parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("is empty: use five fields, e.g. \"0 */2 * * *\"");
    }
    String text = macro(expression.strip());
    String[] parts = text.split("\\s+");
    if (parts.length != 5) {
      throw new IllegalArgumentException(
          "has "
              + parts.length
              + " field(s): use five (minute hour day-of-month month day-of-week), e.g. \"0 */2 * *"
              + " *\"");
    }
    BitSet[] fields = {
      field(parts[0], "minute", 0, 59, List.of()),
      field(parts[1], "hour", 0, 23, List.of()),
      field(parts[2], "day-of-month", 1, 31, List.of()),
      field(parts[3], "month", 1, 12, MONTHS),
      field(parts[4], "day-of-week", 0, 7, DAYS)
    };
    if (fields[4].get(7)) {
      fields[4].set(0);
    }
    return new Cron(expression.strip(), fields, !parts[2].equals("*"), !parts[4].equals("*"));
  }

  private static String macro(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "@hourly" -> "0 * * * *";
      case "@daily", "@midnight" -> "0 0 * * *";
      case "@weekly" -> "0 0 * * 0";
      case "@monthly" -> "0 0 1 * *";
      case "@yearly", "@annually" -> "0 0 1 1 *";
      default -> {
        if (text.startsWith("@")) {
          throw new IllegalArgumentException(
              "unknown macro "
                  + text
                  + ": use @hourly, @daily, @weekly, @monthly, @yearly or five fields");
        }
        yield text;
      }
    };
  }

  private static BitSet field(String text, String name, int min, int max, List<String> names) {
    BitSet bits = new BitSet(max + 1);
    for (String item : text.split(",", -1)) {
      if (item.isEmpty()) {
        throw new IllegalArgumentException(name + " field '" + text + "' has an empty list item");
      }
      String range = item;
      int step = 1;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        range = item.substring(0, slash);
        step = number(item.substring(slash + 1), name, "step", 1, max - min + 1, List.of());
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max == 7 ? 6 : max;
      } else if (range.contains("-")) {
        String[] ends = range.split("-", -1);
        if (ends.length != 2) {
          throw new IllegalArgumentException(name + " range '" + range + "' is not a-b");
        }
        from = number(ends[0], name, "value", min, max, names);
        to = number(ends[1], name, "value", min, max, names);
        if (to < from) {
          throw new IllegalArgumentException(name + " range '" + range + "' ends before it starts");
        }
      } else {
        from = number(range, name, "value", min, max, names);
        // "5/15" means from 5 to the end in steps of 15.
        to = slash >= 0 ? (max == 7 ? 6 : max) : from;
      }
      for (int v = from; v <= to; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(
      String text, String field, String what, int min, int max, List<String> names) {
    int index = names.indexOf(text.toUpperCase(Locale.ROOT));
    if (index >= 0) {
      return names == MONTHS ? index + 1 : index;
    }
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          field
              + " "
              + what
              + " '"
              + text
              + "' is not a number"
              + (names.isEmpty() ? "" : " or one of " + String.join(",", names)),
          e);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          field + " " + what + " " + value + " is out of range " + min + "-" + max);
    }
    return value;
  }

  /** The expression as written. */
  public String expression() {
    return expression;
  }

  private boolean matchesDay(LocalDate date) {
    if (!months.get(date.getMonthValue())) {
      return false;
    }
    boolean dom = daysOfMonth.get(date.getDayOfMonth());
    boolean dow = daysOfWeek.get(cronDay(date.getDayOfWeek()));
    // crontab(5): with both day fields restricted, a day matching either runs the command.
    if (domRestricted && dowRestricted) {
      return dom || dow;
    }
    return dom && dow;
  }

  private static int cronDay(DayOfWeek day) {
    return day.getValue() % 7;
  }

  /** The latest fire time at or before {@code now}, or empty when it never fired in 8 years. */
  public Optional<Instant> lastAtOrBefore(Instant now, ZoneId zone) {
    LocalDate today = now.atZone(zone).toLocalDate();
    Instant best = null;
    // Local order and instant order differ around a change of offset, so a whole day is looked
    // at, and the day before the first one with a fire time too.
    for (int back = -1; back <= SEARCH_DAYS; back++) {
      LocalDate date = today.minusDays(back);
      Instant found = null;
      if (matchesDay(date)) {
        for (LocalTime time : times) {
          Instant fire = ZonedDateTime.of(LocalDateTime.of(date, time), zone).toInstant();
          if (!fire.isAfter(now) && (found == null || fire.isAfter(found))) {
            found = fire;
          }
        }
      }
      if (best != null) {
        return Optional.of(found != null && found.isAfter(best) ? found : best);
      }
      best = found;
    }
    return Optional.ofNullable(best);
  }

  /** The first fire time after {@code now}, or empty when it does not fire in 8 years. */
  public Optional<Instant> nextAfter(Instant now, ZoneId zone) {
    LocalDate today = now.atZone(zone).toLocalDate();
    Instant best = null;
    for (int ahead = -1; ahead <= SEARCH_DAYS; ahead++) {
      LocalDate date = today.plusDays(ahead);
      Instant found = null;
      if (matchesDay(date)) {
        for (LocalTime time : times) {
          Instant fire = ZonedDateTime.of(LocalDateTime.of(date, time), zone).toInstant();
          if (fire.isAfter(now) && (found == null || fire.isBefore(found))) {
            found = fire;
          }
        }
      }
      if (best != null) {
        return Optional.of(found != null && found.isBefore(best) ? found : best);
      }
      best = found;
    }
    return Optional.ofNullable(best);
  }

  @Override
  public String toString() {
    return expression;
  }
}
