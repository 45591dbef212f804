package dev.medallion.io.garmin;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import dev.medallion.io.api.ApiPage;
import dev.medallion.io.api.ApiRequest;
import dev.medallion.io.http.HttpFailure;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The connector's paging, planning and keys, without HTTP or Beam. */
public class GarminConnectorTest {
  private static final String TWO_ACTIVITIES =
      "[{\"activityId\": 2, \"beginTimestamp\": 2000, \"distance\": 5.0},"
          + " {\"activityId\": 1, \"startTimeGMT\": \"1970-01-01 00:00:01\"}]";

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  public void pagesFollowUntilAnActivityAtOrBeforeTheWatermark() throws HttpFailure {
    GarminConnector connector = GarminConnector.create().withStreams(List.of("activities"));
    ApiRequest first = connector.withLimit(2).withWatermark(500L).requests().get(0);
    assertEquals("start=0&limit=2", first.getQuery());
    assertEquals("500", first.getState());
    // 2000 and 1000 ms are both after 500: the next page follows, with the same watermark.
    ApiPage page = connector.readPage(first, bytes(TWO_ACTIVITIES));
    assertEquals(2, page.rows().size());
    assertEquals("start=2&limit=2", page.nextPage().getQuery());
    assertEquals("500", page.nextPage().getState());
    // Activity 1 starts at 1000 ms (its startTimeGMT): at the watermark, so the listing ends.
    ApiPage last = connector.readPage(first.withState("1000"), bytes(TWO_ACTIVITIES));
    assertEquals(2, last.rows().size());
    assertNull(last.nextPage());
    // No watermark: until an empty page.
    assertEquals(
        "start=2&limit=2",
        connector.readPage(first.withState(""), bytes(TWO_ACTIVITIES)).nextPage().getQuery());
    ApiPage empty = connector.readPage(first, bytes("[]"));
    assertEquals(0, empty.rows().size());
    assertNull(empty.nextPage());
    assertThrows(HttpFailure.class, () -> connector.readPage(first, bytes("{\"a\": 1}")));
  }

  @Test
  public void theProfilePlansEachDateOfEachWellnessStreamAndKeysRowsByTheDateAsked()
      throws HttpFailure {
    GarminConnector connector =
        GarminConnector.create()
            .withStreams(List.of("sleep", "heart_rate"))
            .withDates(LocalDate.parse("2024-06-23"), LocalDate.parse("2024-06-24"));
    ApiRequest profile = connector.requests().get(0);
    assertEquals("/userprofile-service/socialProfile", profile.getPath());
    ApiPage planned = connector.readPage(profile, bytes("{\"displayName\": \"jdoe runs\"}"));
    assertEquals(
        List.of(
            "sleep /wellness-service/wellness/dailySleepData/jdoe%20runs?date=2024-06-23"
                + "&nonSleepBufferMinutes=60",
            "heart_rate /wellness-service/wellness/dailyHeartRate/jdoe%20runs?date=2024-06-23",
            "sleep /wellness-service/wellness/dailySleepData/jdoe%20runs?date=2024-06-24"
                + "&nonSleepBufferMinutes=60",
            "heart_rate /wellness-service/wellness/dailyHeartRate/jdoe%20runs?date=2024-06-24"),
        planned.fanOut().stream().map(r -> r.getStream() + " " + r.describe()).toList());
    // A no-data day is a row keyed by the date asked, whatever date the body echoes.
    ApiRequest day = planned.fanOut().get(0);
    ApiPage noData =
        connector.readPage(
            day, bytes("{\"dailySleepDTO\": {\"id\": null, \"calendarDate\": \"2024-06-20\"}}"));
    assertEquals("2024-06-23", connector.naturalKey("sleep").valueIn(noData.rows().get(0)));
    // A profile that fails leaves both wellness streams unread; no displayName is a failure.
    assertEquals(
        Map.of("sleep", "down", "heart_rate", "down"), connector.failedStreams(profile, "down"));
    assertThrows(HttpFailure.class, () -> connector.readPage(profile, bytes("{}")));
  }
}
