package dev.medallion.io.api;

import static dev.medallion.io.api.StravaShapedConnector.ATHLETE;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.io.elgoose.ElGooseConnector;
import dev.medallion.io.elgoose.ElGooseEndpoint;
import dev.medallion.io.http.FailureType;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.http.StaticTokenProvider;
import dev.medallion.ops.ErrorClass;
import dev.medallion.ops.Redactor;
import dev.medallion.testing.ApiFaultServer;
import java.time.Duration;
import java.util.List;
import org.junit.After;
import org.junit.Test;

/**
 * The API skeleton against the fault server, one fault per test, without Beam (ApiFetcher is a
 * plain class): a stall longer than the timeout, a junk body, a row id past 64 bits, a row holding
 * NUL, and an error page that echoes the bearer token.
 */
public class ApiFaultsTest {
  private static final String TOKEN = "sk-live-7a6b5c4d3e2f1a0b";
  private static final HttpClientConfiguration FAST =
      HttpClientConfiguration.create().withRequestTimeout(Duration.ofMillis(300));

  private ApiFaultServer api;

  @After
  public void stopServer() {
    if (api != null) {
      api.close();
    }
  }

  static String environment(String name) {
    return "API_TOKEN".equals(name) ? TOKEN : null;
  }

  private ApiFetcher elgoose() {
    api = ApiFaultServer.over("recordings/elgoose/");
    return new ApiFetcher(
        ElGooseConnector.create().withEndpoints(List.of(ElGooseEndpoint.SONGS)),
        api.baseUrl(),
        FAST,
        Duration.ZERO);
  }

  private static ApiRequest songs() {
    return ApiRequest.get("songs", "/songs.json", "");
  }

  @Test
  public void aStallLongerThanTheTimeoutFailsAsTimeoutAndTheNextAskSucceeds() throws Exception {
    ApiFetcher fetcher = elgoose();
    api.stall("/songs.json", 1_500, 3);

    HttpFailure failure = assertThrows(HttpFailure.class, () -> fetcher.fetch(songs()));

    assertEquals(FailureType.TIMEOUT, failure.type());
    assertThat(
        failure.getMessage(), containsString("failed after 3 attempt(s): timed out after 300 ms"));
    RequestOutcome outcome = fetcher.outcome(songs(), failure);
    assertEquals("TIMEOUT", outcome.getFailureType());
    // The server recovers: the request owed is paid by the next ask.
    assertEquals(14, fetcher.fetch(songs()).records().size());
  }

  @Test
  public void aJunkBodyFailsAtOnceAsData() {
    ApiFetcher fetcher = elgoose();
    api.junk("/songs.json", 1);

    HttpFailure failure = assertThrows(HttpFailure.class, () -> fetcher.fetch(songs()));

    assertEquals(FailureType.DATA, failure.type());
    assertThat(failure.getMessage(), containsString("GET /songs.json returned malformed JSON"));
    assertEquals(1, api.requestsTo("GET", "/songs.json").size());
  }

  @Test
  public void anIdPast64BitsKeepsItsExactKeyAndARowHoldingNulIsRefused() throws Exception {
    ApiFetcher fetcher = elgoose();
    api.answer(
        "/songs.json",
        "{\"error\": false, \"data\": [{\"id\": 18446744073709552016, \"name\": \"Wrapped\"},"
            + " {\"id\": 400, \"name\": \"Turned Clouds\"}, {\"id\": 9002, \"name\": \"Nul\\u0000\"}]}");

    ApiFetcher.Fetched fetched = fetcher.fetch(songs());

    assertEquals(
        List.of("18446744073709552016", "400"),
        fetched.records().stream().map(ApiRecord::getNaturalKey).toList());
    QuarantinedRecord refused = fetched.refusedRows().get(0);
    assertEquals(1, fetched.refusedRows().size());
    assertEquals(ErrorClass.INVALID_VALUE.label(), refused.getErrorClass());
    assertEquals(2, refused.getRecordIndex());
    assertEquals(
        "DATA: row 2 holds a NUL character (\\u0000) in name, which PostgreSQL cannot store",
        refused.getReason());
  }

  @Test
  public void anErrorPageEchoingTheBearerTokenIsMaskedWhereverItGoes() {
    api = ApiFaultServer.over("fixtures/strava/");
    ApiFetcher fetcher =
        new ApiFetcher(
            new StravaShapedConnector(
                List.of(ATHLETE),
                StaticTokenProvider.fromEnvironment("API_TOKEN")
                    .withSecretSource(ApiFaultsTest::environment)),
            api.baseUrl(),
            FAST);
    api.echoingHeaders("/athlete", 403, 1);
    ApiRequest athlete = ApiRequest.get(ATHLETE, "/athlete", "");

    HttpFailure failure = assertThrows(HttpFailure.class, () -> fetcher.fetch(athlete));

    // The exception carries the echo; everything made of it for a person or a table is masked.
    assertThat(failure.getMessage(), containsString("Bearer " + TOKEN));
    String reason = fetcher.failed(athlete, failure).get(0).getReason();
    assertThat(reason, containsString("Authorization: [Bearer ****]"));
    assertThat(reason, not(containsString(TOKEN)));
    assertThat(fetcher.outcome(athlete, failure).getReason(), not(containsString(TOKEN)));
    assertThat(Redactor.mask("error: " + failure.getMessage()), not(containsString(TOKEN)));
    assertThat(Redactor.mask("token " + TOKEN + ","), containsString("token ****,"));
  }
}
