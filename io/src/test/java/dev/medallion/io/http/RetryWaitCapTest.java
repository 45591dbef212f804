package dev.medallion.io.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.medallion.testing.ApiFaultServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Every wait is capped (RetryPolicy.maxWait, 5 minutes by default): a Retry-After beyond the cap,
 * including one that does not fit in a long, fails the request at once as rate limited; a backoff
 * beyond it is cut to it. Waits are recorded by the sleeper, never slept.
 */
public class RetryWaitCapTest {
  private static final String SONGS = "/songs.json";
  private static final List<Duration> WAITS = new CopyOnWriteArrayList<>();

  private ApiFaultServer api;

  @Before
  public void startServer() {
    WAITS.clear();
    api = ApiFaultServer.over("recordings/elgoose/");
  }

  @After
  public void stopServer() {
    api.close();
  }

  private RetryingHttpClient client(RetryPolicy policy) {
    return new RetryingHttpClient(
        HttpClientConfiguration.create()
            .withSleeper(duration -> WAITS.add(duration))
            .withRetryPolicy(policy));
  }

  private URI songs() {
    return URI.create(api.baseUrl() + SONGS);
  }

  @Test
  public void aRetryAfterOfLongMaxValueFailsAtOnceAsRateLimitedWithoutOverflowing() {
    api.rateLimited(SONGS, ApiFaultServer.HUGE_RETRY_AFTER, 1);

    HttpFailure failure =
        assertThrows(
            HttpFailure.class, () -> client(RetryPolicy.defaults()).get(songs(), Map.of()));

    assertEquals(FailureType.RATE_LIMIT, failure.type());
    assertEquals(429, failure.status());
    assertThat(
        failure.getMessage(),
        containsString(
            "asks to wait 9223372036854775807 s (Retry-After: 9223372036854775807),"
                + " longer than the cap of 300 s: rate_limited for this run, the next run asks again"));
    assertEquals(List.of(), WAITS);
    assertEquals(1, api.requestsTo("GET", SONGS).size());
  }

  @Test
  public void aRetryAfterBeyondALongIsRefusedToo() {
    api.rateLimited(SONGS, "18446744073709552016", 1);

    HttpFailure failure =
        assertThrows(
            HttpFailure.class, () -> client(RetryPolicy.defaults()).get(songs(), Map.of()));

    assertEquals(FailureType.RATE_LIMIT, failure.type());
    assertThat(failure.getMessage(), containsString("longer than the cap of 300 s"));
    assertEquals(List.of(), WAITS);
  }

  @Test
  public void anHourlongRetryAfterDoesNotBlockTheRun() {
    api.rateLimited(SONGS, "3600", 1);

    HttpFailure failure =
        assertThrows(
            HttpFailure.class, () -> client(RetryPolicy.defaults()).get(songs(), Map.of()));

    assertThat(failure.getMessage(), containsString("asks to wait 3600 s"));
    assertEquals(List.of(), WAITS);
  }

  @Test
  public void aRetryAfterWithinTheCapIsWaitedAndTheRequestSucceeds() throws IOException {
    api.rateLimited(SONGS, "300", 1);

    RetryingHttpClient.Response response = client(RetryPolicy.defaults()).get(songs(), Map.of());

    assertEquals(200, response.status());
    assertEquals(List.of(Duration.ofSeconds(300)), WAITS);
    assertEquals(2, api.requestsTo("GET", SONGS).size());
  }

  @Test
  public void theCapIsTheConnectorsToSet() {
    api.rateLimited(SONGS, "3", 1);

    HttpFailure failure =
        assertThrows(
            HttpFailure.class,
            () ->
                client(RetryPolicy.defaults().withMaxWait(Duration.ofSeconds(2)))
                    .get(songs(), Map.of()));

    assertThat(failure.getMessage(), containsString("asks to wait 3 s"));
    assertThat(failure.getMessage(), containsString("the cap of 2 s"));
  }

  @Test
  public void aBackoffLongerThanTheCapIsCutToIt() throws IOException {
    api.serverError(SONGS, 3);
    RetryPolicy policy =
        RetryPolicy.defaults()
            .with(FailureType.NETWORK, 5, Duration.ofMinutes(2))
            .withMaxWait(Duration.ofMinutes(5));

    RetryingHttpClient.Response response = client(policy).get(songs(), Map.of());

    // 2, 4, then 8 minutes cut to 5.
    assertEquals(200, response.status());
    assertEquals(
        List.of(Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(5)), WAITS);
  }

  @Test
  public void theCapIsCheckedWhenSet() {
    assertThrows(
        IllegalArgumentException.class,
        () -> RetryPolicy.defaults().withMaxWait(Duration.ofSeconds(-1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> RetryPolicy.defaults().withMaxWait(Duration.ofDays(2)));
    assertEquals(Duration.ofMinutes(5), RetryPolicy.defaults().maxWait());
  }
}
