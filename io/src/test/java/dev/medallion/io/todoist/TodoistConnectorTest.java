package dev.medallion.io.todoist;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import dev.medallion.io.api.ApiFetcher;
import dev.medallion.io.api.ApiRecord;
import dev.medallion.io.api.ApiRequest;
import dev.medallion.io.http.FailureType;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.replay.ReplayHttpServer;
import dev.medallion.testing.ApiFaultServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The Todoist connector against a loopback replay of the shared fixtures
 * (src/test/resources/fixtures/todoist, copied from ../shared/fixtures/todoist; API-REFERENCE.md
 * section 5), through ApiFetcher without Beam: cursor paging to the end, an empty listing, the 410
 * of a retired REST v2 URL, a refused token, and a 429 whose Retry-After is waited (by a recording
 * sleeper: no real sleep).
 */
public class TodoistConnectorTest {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef01234567";
  private static final List<Duration> WAITS = new ArrayList<>();

  private ApiFaultServer api;
  private HttpClientConfiguration http;

  static String environment(String name) {
    return TodoistConnector.TOKEN_VARIABLE.equals(name) ? TOKEN : null;
  }

  @Before
  public void setUp() {
    api = ApiFaultServer.over("fixtures/todoist/");
    WAITS.clear();
    http =
        HttpClientConfiguration.create()
            .withRequestTimeout(Duration.ofSeconds(5))
            .withSleeper(WAITS::add);
  }

  @After
  public void tearDown() {
    api.close();
  }

  private ApiFetcher fetcher(String baseUrl) {
    return new ApiFetcher(
        TodoistConnector.create()
            .withStreams(List.of(TodoistConnector.TASKS, TodoistConnector.PROJECTS))
            .withLimit(2)
            .withSecretSource(TodoistConnectorTest::environment),
        baseUrl,
        http);
  }

  private static List<String> keys(ApiFetcher.Fetched fetched) {
    return fetched.records().stream().map(ApiRecord::getNaturalKey).toList();
  }

  @Test
  public void tasksArePagedWithTheirCursorToTheEndAndCarryTheBearerToken() throws HttpFailure {
    ApiFetcher fetcher = fetcher(api.baseUrl());
    ApiRequest first =
        TodoistConnector.create()
            .withStreams(List.of(TodoistConnector.TASKS))
            .withLimit(2)
            .requests()
            .get(0);
    assertEquals("/tasks?limit=2", first.describe());

    ApiFetcher.Fetched page1 = fetcher.fetch(first);
    assertEquals(List.of("6X7rM8997g3RQmvh", "6X7rfFVPjhvv84XG"), keys(page1));
    assertEquals(
        "/tasks?limit=2&cursor=eyJwYWdlIjoyLCJsaW1pdCI6Mn0.aGk", page1.nextPage().describe());
    // Unknown and nested fields stay in the raw row for bronze.
    assertThat(
        page1.records().get(1).getRawJson(), containsString("\"timezone\":\"America/Denver\""));

    ApiFetcher.Fetched page2 = fetcher.fetch(page1.nextPage());
    assertEquals(List.of("6X7rF9xvX25jTxm5"), keys(page2));
    assertNull(page2.nextPage()); // next_cursor null: the end
    assertEquals(
        "Bearer " + TOKEN,
        api.requestsTo("GET", "/tasks").get(0).headers().get("Authorization").get(0));
  }

  @Test
  public void anEmptyListingHasNoRowsAndNoNextPage() throws HttpFailure {
    ApiFetcher.Fetched empty =
        fetcher(api.baseUrl())
            .fetch(
                ApiRequest.create("tasks", "/tasks", "project_id=6Jf8VZZZZZZZZZZZ&limit=200", "1"));
    assertEquals(List.of(), empty.records());
    assertNull(empty.nextPage());
  }

  @Test
  public void completedTasksAreAskedInWindowsAndKeyedByIdAndCompletion() throws HttpFailure {
    // 2024-01-01 .. 2024-06-19 is 170 days: windows of 89 days, then the remaining 81.
    List<ApiRequest> requests =
        TodoistConnector.create()
            .withStreams(List.of(TodoistConnector.COMPLETED_TASKS))
            .withLimit(50)
            .withCompletedWindow(
                Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-06-19T00:00:00Z"))
            .requests();
    assertEquals(
        List.of(
            "/tasks/completed/by_completion_date?since=2024-01-01T00:00:00Z&until=2024-03-30T00:00:00Z&limit=50",
            "/tasks/completed/by_completion_date?since=2024-03-30T00:00:00Z&until=2024-06-19T00:00:00Z&limit=50"),
        requests.stream().map(ApiRequest::describe).toList());

    api.answer(
        TodoistConnector.COMPLETED_PATH,
        "{\"items\": [{\"id\": \"6X7r\", \"completed_at\": \"2024-06-18T06:00:00.000000Z\"}],"
            + " \"next_cursor\": \"abc+/=\"}");
    ApiFetcher.Fetched page = fetcher(api.baseUrl()).fetch(requests.get(1));
    assertEquals(List.of("6X7r/2024-06-18T06:00:00.000000Z"), keys(page));
    // The cursor is sent encoded, with the window and limit of the first page.
    assertEquals(
        "since=2024-03-30T00:00:00Z&until=2024-06-19T00:00:00Z&limit=50&cursor=abc%2B%2F%3D",
        page.nextPage().getQuery());
  }

  @Test
  public void aRetiredRestV2UrlSaysTheEndpointWasRetiredAndWhatToUseInstead() {
    ApiFetcher fetcher = fetcher(api.origin() + "/rest/v2");
    ApiRequest tasks = ApiRequest.get("tasks", "/tasks", "");

    HttpFailure failure = assertThrows(HttpFailure.class, () -> fetcher.fetch(tasks));

    assertEquals(FailureType.DATA, failure.type());
    assertEquals(410, failure.status());
    assertThat(failure.getMessage(), containsString("GET /tasks answered HTTP 410 Gone"));
    assertThat(failure.getMessage(), containsString("This endpoint is deprecated"));
    assertThat(failure.getMessage(), containsString("this endpoint was retired"));
    assertThat(
        failure.getMessage(),
        containsString("set --todoist-base-url to https://api.todoist.com/api/v1"));
    assertEquals(1, api.requestsTo("GET", "/rest/v2/tasks").size()); // not retried
  }

  @Test
  public void aRefusedTokenFailsClearlyAfterOneRereadAndIsNeverShown() {
    ApiFetcher fetcher = fetcher(api.baseUrl());
    // The shared fixture's 401 answers a stale cursor.
    ApiRequest stale = ApiRequest.create("tasks", "/tasks", "limit=200&cursor=stale", "2");

    HttpFailure failure = assertThrows(HttpFailure.class, () -> fetcher.fetch(stale));

    assertEquals(FailureType.AUTHENTICATION, failure.type());
    assertThat(
        failure.getMessage(), containsString("Todoist refused the API token in TODOIST_API_TOKEN"));
    assertThat(failure.getMessage(), not(containsString(TOKEN)));
    assertThat(fetcher.failed(stale, failure).get(0).getReason(), not(containsString(TOKEN)));
    // The variable held the same token: no second request with it.
    assertEquals(1, api.requestsTo("GET", "/tasks").size());
  }

  @Test
  public void aMissingTokenSaysWhichVariableToSet() {
    ApiFetcher fetcher =
        new ApiFetcher(
            TodoistConnector.create().withLimit(2).withSecretSource(name -> null),
            api.baseUrl(),
            http);
    HttpFailure failure =
        assertThrows(
            HttpFailure.class, () -> fetcher.fetch(ApiRequest.get("tasks", "/tasks", "limit=2")));
    assertThat(
        failure.getMessage(), containsString("set the environment variable TODOIST_API_TOKEN"));
    assertEquals(0, api.requestsTo("GET", "/tasks").size());
  }

  @Test
  public void a429WaitsItsRetryAfterThenSucceeds() throws HttpFailure {
    // The shared fixture's 429 body with its Retry-After: 12, once, then the projects page.
    api.enqueue(
        "GET",
        "/projects",
        new ReplayHttpServer.Scripted(
            429,
            Map.of("Content-Type", "application/json", "Retry-After", "12"),
            api.recorded("v1_error_429.json").getBytes(StandardCharsets.UTF_8),
            0));
    ApiFetcher.Fetched projects =
        fetcher(api.baseUrl()).fetch(ApiRequest.create("projects", "/projects", "limit=200", "1"));

    assertEquals(
        List.of("6Jf8VQXxpwv56VQ7", "6Jf8VRC4wMPGrp9x", "6Jf8VRFq5jX4mPcW"), keys(projects));
    assertEquals(List.of(Duration.ofSeconds(12)), WAITS);
    assertEquals(2, api.requestsTo("GET", "/projects").size());
  }

  @Test
  public void aPageAnsweringItsOwnCursorStopsInsteadOfLooping() {
    TodoistConnector connector = TodoistConnector.create();
    ApiRequest second = ApiRequest.create("tasks", "/tasks", "limit=2&cursor=c1", "2");
    HttpFailure failure =
        assertThrows(
            HttpFailure.class,
            () ->
                connector.readPage(
                    second,
                    "{\"results\": [{\"id\": \"a\"}], \"next_cursor\": \"c1\"}"
                        .getBytes(StandardCharsets.UTF_8)));
    assertThat(failure.getMessage(), containsString("answered its own cursor"));
  }
}
