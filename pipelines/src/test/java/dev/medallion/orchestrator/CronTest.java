package dev.medallion.orchestrator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.Test;

/**
 * The cron evaluator, with fire times worked out by hand. Paris in 2026: clocks go from 02:00 CET
 * (+01:00) to 03:00 CEST (+02:00) on Sunday 29 March at 01:00 UTC, and from 03:00 CEST back to
 * 02:00 CET on Sunday 25 October at 01:00 UTC.
 */
public class CronTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  private static Instant utc(String text) {
    return Instant.parse(text);
  }

  private static Optional<Instant> last(String cron, String now) {
    return Cron.parse(cron).lastAtOrBefore(utc(now), PARIS);
  }

  private static Optional<Instant> next(String cron, String now) {
    return Cron.parse(cron).nextAfter(utc(now), PARIS);
  }

  @Test
  public void everyTwoHoursInWinterIsEvenHoursOfParisTime() {
    // 10:40 CET is 09:40Z; the last even Paris hour is 10:00 CET = 09:00Z, the next 12:00 = 11:00Z.
    assertEquals(
        Optional.of(utc("2026-01-15T09:00:00Z")), last("0 */2 * * *", "2026-01-15T09:40:00Z"));
    assertEquals(
        Optional.of(utc("2026-01-15T11:00:00Z")), next("0 */2 * * *", "2026-01-15T09:40:00Z"));
    // A fire time is "at or before": exactly 09:00Z is its own last fire, and the next is after it.
    assertEquals(
        Optional.of(utc("2026-01-15T09:00:00Z")), last("0 */2 * * *", "2026-01-15T09:00:00Z"));
    assertEquals(
        Optional.of(utc("2026-01-15T11:00:00Z")), next("0 */2 * * *", "2026-01-15T09:00:00Z"));
  }

  @Test
  public void weeklyMonthlyAndListsAndNames() {
    // Thursday 15 January 2026: the last Sunday 12:00 CET was 11 January, 11:00Z.
    assertEquals(
        Optional.of(utc("2026-01-11T11:00:00Z")), last("0 12 * * 0", "2026-01-15T09:40:00Z"));
    assertEquals(
        Optional.of(utc("2026-01-11T11:00:00Z")), last("0 12 * * SUN", "2026-01-15T09:40:00Z"));
    assertEquals(
        Optional.of(utc("2026-01-11T11:00:00Z")), last("0 12 * * 7", "2026-01-15T09:40:00Z"));
    // Monthly on the 1st at 08:00: 1 January 08:00 CET = 07:00Z; next 1 February 07:00Z.
    assertEquals(
        Optional.of(utc("2026-01-01T07:00:00Z")), last("0 8 1 * *", "2026-01-15T09:40:00Z"));
    assertEquals(
        Optional.of(utc("2026-02-01T07:00:00Z")), next("0 8 1 * *", "2026-01-15T09:40:00Z"));
    // In summer the same 08:00 is 06:00Z (1 July 2026, CEST).
    assertEquals(
        Optional.of(utc("2026-07-01T06:00:00Z")), next("0 8 1 * *", "2026-06-15T09:40:00Z"));
    // 15,45 past 9 to 10 on weekdays: Thursday 09:40Z is 10:40 CET: last 10:15 CET = 09:15Z.
    assertEquals(
        Optional.of(utc("2026-01-15T09:15:00Z")),
        last("15,45 9-10 * * MON-FRI", "2026-01-15T09:40:00Z"));
    // Both day fields restricted: the 1st OR a Monday. After Thu 15 Jan, Mon 19 Jan 00:00 CET.
    assertEquals(
        Optional.of(utc("2026-01-18T23:00:00Z")), next("0 0 1 * 1", "2026-01-15T09:40:00Z"));
    assertEquals(Optional.of(utc("2026-01-15T08:00:00Z")), last("@hourly", "2026-01-15T08:59:59Z"));
    // 31 February never comes.
    assertEquals(Optional.empty(), last("0 0 31 2 *", "2026-01-15T09:40:00Z"));
  }

  @Test
  public void springForwardEveryTwoHoursFiresOnceAtTheSkippedHour() {
    // 28 Mar 22:00 CET = 21:00Z; 29 Mar 00:00 CET = 28 Mar 23:00Z; 02:00 does not exist and fires
    // at
    // the instant it would have been, 01:00Z (shown as 03:00 CEST); 04:00 CEST = 02:00Z.
    String cron = "0 */2 * * *";
    assertEquals(Optional.of(utc("2026-03-28T23:00:00Z")), last(cron, "2026-03-29T00:59:00Z"));
    assertEquals(Optional.of(utc("2026-03-29T01:00:00Z")), last(cron, "2026-03-29T01:00:00Z"));
    assertEquals(Optional.of(utc("2026-03-29T01:00:00Z")), next(cron, "2026-03-28T23:00:00Z"));
    assertEquals(Optional.of(utc("2026-03-29T02:00:00Z")), next(cron, "2026-03-29T01:00:00Z"));
    assertEquals(Optional.of(utc("2026-03-29T04:00:00Z")), next(cron, "2026-03-29T02:00:00Z"));
  }

  @Test
  public void springForwardDailyAtTwoThirtyIsNotLost() {
    // 28 Mar 02:30 CET = 01:30Z; 29 Mar 02:30 is skipped: fires at 01:30Z (03:30 CEST);
    // 30 Mar 02:30 CEST = 00:30Z.
    String cron = "30 2 * * *";
    assertEquals(Optional.of(utc("2026-03-28T01:30:00Z")), last(cron, "2026-03-29T01:29:00Z"));
    assertEquals(Optional.of(utc("2026-03-29T01:30:00Z")), last(cron, "2026-03-29T01:30:00Z"));
    assertEquals(Optional.of(utc("2026-03-30T00:30:00Z")), next(cron, "2026-03-29T01:30:00Z"));
  }

  @Test
  public void fallBackEveryTwoHoursFiresAtTheFirstTwoOClockOnly() {
    // 25 Oct 00:00 CEST = 24 Oct 22:00Z; 02:00 happens twice, 00:00Z (CEST) and 01:00Z (CET), and
    // fires at the first only; 04:00 CET = 03:00Z.
    String cron = "0 */2 * * *";
    assertEquals(Optional.of(utc("2026-10-25T00:00:00Z")), last(cron, "2026-10-25T00:00:00Z"));
    assertEquals(Optional.of(utc("2026-10-25T00:00:00Z")), last(cron, "2026-10-25T01:00:00Z"));
    assertEquals(Optional.of(utc("2026-10-25T00:00:00Z")), last(cron, "2026-10-25T02:59:00Z"));
    assertEquals(Optional.of(utc("2026-10-25T03:00:00Z")), next(cron, "2026-10-25T00:00:00Z"));
    assertEquals(Optional.of(utc("2026-10-25T00:00:00Z")), next(cron, "2026-10-24T22:00:00Z"));
  }

  @Test
  public void fallBackDailyFollowsTheClock() {
    // 08:00 Paris: 24 Oct (CEST) = 06:00Z, 25 Oct (CET) = 07:00Z.
    assertEquals(
        Optional.of(utc("2026-10-24T06:00:00Z")), last("0 8 * * *", "2026-10-25T06:59:00Z"));
    assertEquals(
        Optional.of(utc("2026-10-25T07:00:00Z")), next("0 8 * * *", "2026-10-25T06:59:00Z"));
    // 02:30 on 25 Oct fires once, at 02:30 CEST = 00:30Z, not again at 02:30 CET = 01:30Z.
    assertEquals(
        Optional.of(utc("2026-10-25T00:30:00Z")), last("30 2 * * *", "2026-10-25T01:45:00Z"));
    assertEquals(
        Optional.of(utc("2026-10-26T01:30:00Z")), next("30 2 * * *", "2026-10-25T00:30:00Z"));
  }

  /** cron-utils' reason, after the field it concerns (cron-utils' own message names none). */
  @Test
  public void badExpressionsSayWhatIsWrong() {
    assertEquals("hour field '25': value 25 not in range [0, 23]", message("0 25 * * *"));
    assertEquals(
        "has 6 field(s): use five (minute hour day-of-month month day-of-week), e.g. \"0 */2 * * *\"",
        message("0 0 */2 * * *"));
    assertEquals(
        "minute field 'x': invalid chars in expression! Expression: X Invalid chars: X",
        message("x * * * *"));
    assertEquals(
        "day-of-week field 'MOX': invalid chars in expression! Expression: MOX Invalid chars: MOX",
        message("0 0 * * MOX"));
    assertEquals("hour field '5-2': invalid range! [5,2]", message("0 5-2 * * *"));
    assertEquals("minute field '*/0': period 0 not in range [0, 59]", message("*/0 * * * *"));
    assertEquals("is empty: use five fields, e.g. \"0 */2 * * *\"", message(" "));
    assertEquals(
        "unknown macro @often: use @hourly, @daily, @weekly, @monthly, @yearly or five fields",
        message("@often"));
    assertEquals("month field '13': value 13 not in range [1, 12]", message("0 0 1 13 *"));
  }

  private static String message(String cron) {
    return assertThrows(IllegalArgumentException.class, () -> Cron.parse(cron)).getMessage();
  }
}
