package dev.medallion.io.strava;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import dev.medallion.io.api.ApiPage;
import dev.medallion.io.api.ApiRequest;
import dev.medallion.io.http.HttpFailure;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * Strava's paging and quota rules without Beam or HTTP: the headers of API-REFERENCE.md section 3
 * ("15-minute,daily"; the Read pair governs GETs), windows resetting at :00/:15/:30/:45 and at
 * midnight UTC.
 */
public class StravaConnectorTest {
  private static final byte[] TWO_ROWS =
      "[{\"id\": 1, \"start_date\": \"2024-06-22T17:31:08Z\", \"new_field\": {\"x\": 1}}, {\"id\": 2}]"
          .getBytes(StandardCharsets.UTF_8);

  private static Map<String, List<String>> headers(String readUsage, String overallUsage) {
    return Map.of(
        "X-RateLimit-Limit", List.of("200,2000"),
        "X-RateLimit-Usage", List.of(overallUsage),
        "X-ReadRateLimit-Limit", List.of("100,1000"),
        "X-ReadRateLimit-Usage", List.of(readUsage));
  }

  private static StravaConnector at(String instant, Duration maxWait) {
    return StravaConnector.create()
        .withAfter(1719077468L)
        .withPerPage(2)
        .withMaxQuotaWait(maxWait)
        .withClock(Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
  }

  private static ApiRequest firstPage(StravaConnector connector) {
    return connector.requests().get(0);
  }

  @Test
  public void pagesKeepTheirAfterAndStopAtAnEmptyPage() throws HttpFailure {
    StravaConnector connector = at("2026-11-30T12:07:00Z", Duration.ofMinutes(2));
    ApiRequest first = firstPage(connector);
    assertEquals("/athlete/activities?after=1719077468&page=1&per_page=2", first.describe());
    ApiPage page = connector.readPage(first, TWO_ROWS, headers("9,241", "14,388"));
    assertEquals(2, page.rows().size());
    // Unknown fields stay in the row, for bronze's raw payload.
    assertEquals(1, page.rows().get(0).path("new_field").path("x").asInt());
    assertEquals(
        "/athlete/activities?after=1719077468&page=2&per_page=2", page.nextPage().describe());
    assertEquals(Duration.ZERO, page.waitBeforeNext());
    assertNull(page.stopReason());
    assertNull(
        connector.readPage(page.nextPage(), "[]".getBytes(StandardCharsets.UTF_8)).nextPage());
  }

  @Test
  public void aSpentWindowThatResetsWithinTheLimitIsWaitedFor() throws HttpFailure {
    // 12:07:00 -> the window resets at 12:15:00: 8 minutes, within the 10 allowed.
    StravaConnector connector = at("2026-11-30T12:07:00Z", Duration.ofMinutes(10));
    ApiPage page = connector.readPage(firstPage(connector), TWO_ROWS, headers("100,241", "14,388"));
    assertEquals(Duration.ofMinutes(8), page.waitBeforeNext());
    assertNull(page.stopReason());
  }

  @Test
  public void aSpentWindowThatResetsTooLateStopsTheStreamKeepingTheNextPage() throws HttpFailure {
    // 12:07:00 -> 12:15:00 is 8 minutes, beyond the 2 allowed: stop, page 2 is the next run's.
    StravaConnector connector = at("2026-11-30T12:07:00Z", Duration.ofMinutes(2));
    ApiPage page = connector.readPage(firstPage(connector), TWO_ROWS, headers("100,241", "14,388"));
    assertEquals(2, page.rows().size());
    assertEquals(
        "/athlete/activities?after=1719077468&page=2&per_page=2", page.nextPage().describe());
    assertThat(page.stopReason(), containsString("rate limited, resumes next run"));
    assertThat(page.stopReason(), containsString("15-minute read limit (100) is spent"));
    assertThat(page.stopReason(), containsString("2026-11-30T12:15:00Z"));
  }

  @Test
  public void aSpentDailyQuotaWaitsForMidnightUtc() throws HttpFailure {
    // 23:50:30 with 1000 of 1000 read today: midnight is 9 min 30 s away.
    StravaConnector connector = at("2026-11-30T23:50:30Z", Duration.ofMinutes(10));
    ApiPage page = connector.readPage(firstPage(connector), TWO_ROWS, headers("3,1000", "14,388"));
    assertEquals(Duration.ofSeconds(570), page.waitBeforeNext());
    StravaConnector impatient = at("2026-11-30T20:00:00Z", Duration.ofMinutes(10));
    assertThat(
        impatient
            .readPage(firstPage(impatient), TWO_ROWS, headers("3,1000", "14,388"))
            .stopReason(),
        containsString("daily read limit (1000) is spent until 2026-12-01T00:00:00Z"));
  }

  @Test
  public void theOverallPairGovernsWhenTheReadPairIsAbsent() {
    StravaRateLimit overall =
        StravaRateLimit.of(
                Map.of(
                    "x-ratelimit-limit", List.of("200,2000"),
                    "x-ratelimit-usage", List.of("200,388")))
            .orElseThrow();
    assertEquals("overall", overall.kind());
    // 12:45:00 exactly is a boundary: the next one is 13:00:00.
    assertEquals(
        Instant.parse("2026-11-30T13:00:00Z"),
        overall.nextAllowed(Instant.parse("2026-11-30T12:45:00Z")));
    assertEquals(
        java.util.Optional.empty(), StravaRateLimit.of(Map.of("X-RateLimit-Usage", List.of("x"))));
  }

  @Test
  public void theAthleteIsOneObjectAndAnythingElseIsADataFailure() throws HttpFailure {
    StravaConnector connector = StravaConnector.create().withStreams(List.of("athlete"));
    ApiRequest athlete = connector.requests().get(0);
    assertEquals("/athlete", athlete.describe());
    assertEquals(
        48213377,
        connector
            .readPage(athlete, "{\"id\": 48213377}".getBytes(StandardCharsets.UTF_8))
            .rows()
            .get(0)
            .path("id")
            .asLong());
    assertThrows(
        HttpFailure.class,
        () -> connector.readPage(athlete, "[1]".getBytes(StandardCharsets.UTF_8)));
    assertThrows(IllegalArgumentException.class, () -> connector.withStreams(List.of("segments")));
  }
}
