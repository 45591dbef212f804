package dev.medallion.orchestrator;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
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
 * <p>Parsing and matching are cron-utils' (its UNIX definition): fields take {@code *}, numbers,
 * ranges {@code a-b}, steps {@code * / n} and {@code a-b/n}, lists, and the names JAN-DEC and
 * SUN-SAT; day-of-week 7 is Sunday too. When both day fields are restricted a day matches either
 * (crontab's rule). Macros: {@code @hourly}, {@code @daily}, {@code @weekly}, {@code @monthly},
 * {@code @yearly}.
 *
 * <p>Time zones are this class's part: cron-utils walks the wall clock (in UTC, where no time is
 * skipped or repeated), and each wall-clock fire time becomes an instant by {@link
 * ZonedDateTime#of}, the rule above. That mapping changes the order of fire times by at most one
 * offset change, so the search looks one {@link #MARGIN} past the first fire time it finds.
 */
public final class Cron {
  /** More than any change of UTC offset (Samoa skipped a whole day in 2011). */
  private static final Duration MARGIN = Duration.ofHours(26);

  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final List<String> FIELDS =
      List.of("minute", "hour", "day-of-month", "month", "day-of-week");

  private final String expression;
  private final ExecutionTime execution;

  private Cron(String expression, ExecutionTime execution) {
    this.expression = expression;
    this.execution = execution;
  }

  /**
   * Reads an expression; an {@link IllegalArgumentException} says what is wrong with it (without
   * repeating the expression), naming the field at fault.
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
    // cron-utils' messages do not say which field is wrong: each field is tried alone first.
    for (int i = 0; i < parts.length; i++) {
      String[] alone = {"*", "*", "*", "*", "*"};
      alone[i] = parts[i];
      try {
        PARSER.parse(String.join(" ", alone));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            FIELDS.get(i) + " field '" + parts[i] + "': " + reason(e), e);
      }
    }
    try {
      return new Cron(expression.strip(), ExecutionTime.forCron(PARSER.parse(text)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(reason(e), e);
    }
  }

  private static String reason(IllegalArgumentException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    String reason = message.replace("Failed to parse cron expression. ", "");
    return reason.isEmpty()
        ? reason
        : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
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

  /** The expression as written. */
  public String expression() {
    return expression;
  }

  /** A wall-clock time as the wall clock of UTC, where cron-utils sees every minute once. */
  private static ZonedDateTime wall(LocalDateTime local) {
    return local.atZone(ZoneOffset.UTC);
  }

  /** The latest fire time at or before {@code now}, or empty when it never fires before it. */
  public Optional<Instant> lastAtOrBefore(Instant now, ZoneId zone) {
    ZonedDateTime cursor = wall(LocalDateTime.ofInstant(now, zone).plus(MARGIN));
    Instant best = null;
    LocalDateTime stop = null;
    while (true) {
      Optional<ZonedDateTime> fire = execution.lastExecution(cursor);
      if (fire.isEmpty() || (stop != null && fire.get().toLocalDateTime().isBefore(stop))) {
        return Optional.ofNullable(best);
      }
      Instant instant = ZonedDateTime.of(fire.get().toLocalDateTime(), zone).toInstant();
      if (!instant.isAfter(now) && (best == null || instant.isAfter(best))) {
        if (best == null) {
          stop = fire.get().toLocalDateTime().minus(MARGIN);
        }
        best = instant;
      }
      cursor = fire.get();
    }
  }

  /** The first fire time after {@code now}, or empty when it never fires after it. */
  public Optional<Instant> nextAfter(Instant now, ZoneId zone) {
    ZonedDateTime cursor = wall(LocalDateTime.ofInstant(now, zone).minus(MARGIN));
    Instant best = null;
    LocalDateTime stop = null;
    while (true) {
      Optional<ZonedDateTime> fire = execution.nextExecution(cursor);
      if (fire.isEmpty() || (stop != null && fire.get().toLocalDateTime().isAfter(stop))) {
        return Optional.ofNullable(best);
      }
      Instant instant = ZonedDateTime.of(fire.get().toLocalDateTime(), zone).toInstant();
      if (instant.isAfter(now) && (best == null || instant.isBefore(best))) {
        if (best == null) {
          stop = fire.get().toLocalDateTime().plus(MARGIN);
        }
        best = instant;
      }
      cursor = fire.get();
    }
  }

  @Override
  public String toString() {
    return expression;
  }
}
