package dev.medallion.io.todoist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medallion.io.api.ApiConnector;
import dev.medallion.io.api.ApiPage;
import dev.medallion.io.api.ApiRequest;
import dev.medallion.io.api.NaturalKey;
import dev.medallion.io.http.FailureType;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.http.RetryingHttpClient;
import dev.medallion.io.http.SecretSource;
import dev.medallion.io.http.TokenProvider;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.annotation.Nullable;

/**
 * Todoist API v1 (API-REFERENCE.md section 5) as a connector with three streams:
 *
 * <ul>
 *   <li>{@value #TASKS}: {@code GET /tasks?limit=N}, the snapshot of active tasks (the endpoint has
 *       no "since" filter, so every run reads them all);
 *   <li>{@value #COMPLETED_TASKS}: {@code GET /tasks/completed/by_completion_date?since&until},
 *       completions in a window that starts at the newest completion landed (a window longer than
 *       {@link #MAX_WINDOW} is asked as several);
 *   <li>{@value #PROJECTS}: {@code GET /projects?limit=N}.
 * </ul>
 *
 * Every listing pages with {@code {"results"|"items": [...], "next_cursor": "..."|null}}: the next
 * page is the same request with {@code cursor=}, until the cursor is null or a page is empty. The
 * data type "tasks" of ingestion-config.yaml is the first two streams together.
 *
 * <p>Auth is a long-lived bearer token read from {@value #TOKEN_VARIABLE}; there is no refresh, so
 * a 401 re-reads the variable once and, when it holds the same token, fails with what to do. A 410
 * (REST v2 and Sync v9 were shut down in February 2026) fails saying the endpoint was retired and
 * which URL replaces it.
 */
public final class TodoistConnector implements ApiConnector {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static final String DEFAULT_BASE_URL = "https://api.todoist.com/api/v1";
  public static final String TASKS = "tasks";
  public static final String COMPLETED_TASKS = "completed_tasks";
  public static final String PROJECTS = "projects";

  /** The connector's streams. */
  public static final List<String> STREAMS = List.of(TASKS, COMPLETED_TASKS, PROJECTS);

  /** The data types a job names (ingestion-config.yaml); "tasks" reads two streams. */
  public static final List<String> DATA_TYPES = List.of(TASKS, PROJECTS);

  public static final String TOKEN_VARIABLE = "TODOIST_API_TOKEN";
  public static final String COMPLETED_PATH = "/tasks/completed/by_completion_date";

  /** The longest since..until window asked at once (Todoist allows about three months). */
  public static final Duration MAX_WINDOW = Duration.ofDays(89);

  private final List<String> streams;
  private final int limit;
  @Nullable private final Instant completedSince;
  @Nullable private final Instant completedUntil;
  private final SecretSource secrets;

  private TodoistConnector(
      List<String> streams,
      int limit,
      @Nullable Instant completedSince,
      @Nullable Instant completedUntil,
      SecretSource secrets) {
    this.streams = List.copyOf(streams);
    this.limit = limit;
    this.completedSince = completedSince;
    this.completedUntil = completedUntil;
    this.secrets = secrets;
  }

  /** Active tasks and projects, 200 per page; completed tasks once a window is set. */
  public static TodoistConnector create() {
    return new TodoistConnector(STREAMS, 200, null, null, SecretSource.ENVIRONMENT);
  }

  /** The connector's streams for the data types a job names: "tasks" is active + completed. */
  public static List<String> streamsOf(List<String> dataTypes) {
    List<String> chosen = new ArrayList<>();
    for (String type : dataTypes) {
      if (type.equals(TASKS)) {
        chosen.add(TASKS);
        chosen.add(COMPLETED_TASKS);
      } else {
        chosen.add(type);
      }
    }
    return chosen;
  }

  public TodoistConnector withStreams(List<String> chosen) {
    if (chosen == null || chosen.isEmpty() || !STREAMS.containsAll(chosen)) {
      throw new IllegalArgumentException(
          "withStreams() takes " + String.join(", ", STREAMS) + ", got " + chosen);
    }
    return new TodoistConnector(chosen, limit, completedSince, completedUntil, secrets);
  }

  public TodoistConnector withLimit(int count) {
    if (count < 1 || count > 200) {
      throw new IllegalArgumentException("withLimit() takes 1 to 200, got " + count);
    }
    return new TodoistConnector(streams, count, completedSince, completedUntil, secrets);
  }

  /** Completions at or after {@code since} and before {@code until} (whole seconds, UTC). */
  public TodoistConnector withCompletedWindow(Instant since, Instant until) {
    if (since == null || until == null || !since.isBefore(until)) {
      throw new IllegalArgumentException(
          "withCompletedWindow() needs since before until, got " + since + " and " + until);
    }
    return new TodoistConnector(
        streams,
        limit,
        since.truncatedTo(ChronoUnit.SECONDS),
        until.truncatedTo(ChronoUnit.SECONDS),
        secrets);
  }

  public TodoistConnector withSecretSource(SecretSource source) {
    if (source == null) {
      throw new IllegalArgumentException("withSecretSource() needs a source");
    }
    return new TodoistConnector(streams, limit, completedSince, completedUntil, source);
  }

  @Override
  public String defaultBaseUrl() {
    return DEFAULT_BASE_URL;
  }

  @Override
  public List<ApiRequest> requests() {
    List<ApiRequest> requests = new ArrayList<>();
    if (streams.contains(TASKS)) {
      requests.add(ApiRequest.create(TASKS, "/tasks", "limit=" + limit, "1"));
    }
    if (streams.contains(COMPLETED_TASKS)) {
      if (completedSince == null || completedUntil == null) {
        throw new IllegalStateException(
            "the completed_tasks stream needs withCompletedWindow(since, until)");
      }
      // Consecutive windows of at most MAX_WINDOW, oldest first; each is paged on its own.
      Instant from = completedSince;
      while (from.isBefore(completedUntil)) {
        Instant to =
            from.plus(MAX_WINDOW).isBefore(completedUntil) ? from.plus(MAX_WINDOW) : completedUntil;
        requests.add(
            ApiRequest.create(
                COMPLETED_TASKS,
                COMPLETED_PATH,
                "since=" + from + "&until=" + to + "&limit=" + limit,
                "1"));
        from = to;
      }
    }
    if (streams.contains(PROJECTS)) {
      requests.add(ApiRequest.create(PROJECTS, "/projects", "limit=" + limit, "1"));
    }
    return requests;
  }

  @Override
  public ApiPage readPage(ApiRequest request, byte[] body) throws HttpFailure {
    JsonNode json;
    try {
      json = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new HttpFailure(
          FailureType.DATA, 200, "GET " + request.describe() + " returned malformed JSON", e);
    }
    // Listings answer {"results": [...]}; the completed endpoints answer {"items": [...]}.
    JsonNode rows =
        json == null ? null : json.has("results") ? json.get("results") : json.get("items");
    if (rows == null || !rows.isArray()) {
      throw new HttpFailure(
          FailureType.DATA,
          200,
          "GET " + request.describe() + " has neither a results nor an items array");
    }
    List<JsonNode> found = new ArrayList<>();
    rows.forEach(found::add);
    ApiPage page = ApiPage.of(found);
    JsonNode next = json.get("next_cursor");
    if (found.isEmpty() || next == null || !next.isTextual() || next.asText().isBlank()) {
      return page; // the last page
    }
    if (next.asText().equals(cursorOf(request))) {
      throw new HttpFailure(
          FailureType.DATA,
          200,
          "GET " + request.describe() + " answered its own cursor as the next one: paging stopped");
    }
    return page.thenFetch(nextPage(request, next.asText()));
  }

  /** The same request with {@code cursor=} set to the page's next_cursor. */
  static ApiRequest nextPage(ApiRequest request, String cursor) {
    String others =
        Arrays.stream(request.getQuery().split("&"))
            .filter(p -> !p.isEmpty() && !p.startsWith("cursor="))
            .collect(Collectors.joining("&"));
    return ApiRequest.create(
        request.getStream(),
        request.getPath(),
        others
            + (others.isEmpty() ? "" : "&")
            + "cursor="
            + URLEncoder.encode(cursor, StandardCharsets.UTF_8),
        Integer.toString(pageNumber(request) + 1));
  }

  private static int pageNumber(ApiRequest request) {
    try {
      return Integer.parseInt(request.getState());
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  @Nullable
  private static String cursorOf(ApiRequest request) {
    for (String part : request.getQuery().split("&")) {
      if (part.startsWith("cursor=")) {
        return java.net.URLDecoder.decode(part.substring(7), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** A 410 is a retired endpoint: say so and what replaces it; any other status fails as DATA. */
  @Override
  public ApiPage readStatus(ApiRequest request, int status, String body) throws HttpFailure {
    if (status == 410) {
      throw new HttpFailure(FailureType.DATA, status, retired(request, body));
    }
    return ApiConnector.super.readStatus(request, status, body);
  }

  /** The message of a 410: the endpoint is retired, use API v1 at its base URL. */
  static String retired(ApiRequest request, String body) {
    return "GET "
        + request.describe()
        + " answered HTTP 410 Gone"
        + RetryingHttpClient.snippet(body)
        + ": this endpoint was retired (Todoist shut down REST v2 and Sync v9 in February 2026)."
        + " Use API v1: set --todoist-base-url to "
        + DEFAULT_BASE_URL
        + " (tasks: GET "
        + DEFAULT_BASE_URL
        + "/tasks, projects: GET "
        + DEFAULT_BASE_URL
        + "/projects; v1 ids are new strings, old numeric ids are not accepted)";
  }

  @Override
  public NaturalKey naturalKey(String stream) {
    // A recurring task is completed once per occurrence: each completion is its own row.
    return stream.equals(COMPLETED_TASKS)
        ? NaturalKey.of("id", "completed_at")
        : NaturalKey.of("id");
  }

  @Override
  public TokenProvider tokenProvider() {
    return new PersonalToken(secrets);
  }

  /**
   * The personal API token in {@value #TOKEN_VARIABLE}. Todoist tokens do not expire and have no
   * refresh flow: a 401 reads the variable again (a token replaced under a running worker) and,
   * when it holds the same refused token, fails at once with what to do.
   */
  static final class PersonalToken implements TokenProvider {
    private static final long serialVersionUID = 1L;
    private final SecretSource secrets;
    private transient String token;

    PersonalToken(SecretSource secrets) {
      this.secrets = secrets;
    }

    @Override
    public void open(HttpClientConfiguration http) {
      token = secrets.get(TOKEN_VARIABLE);
    }

    @Override
    public String token() throws HttpFailure {
      if (token == null || token.isBlank()) {
        throw new HttpFailure(
            FailureType.AUTHENTICATION,
            0,
            "no Todoist API token: set the environment variable "
                + TOKEN_VARIABLE
                + " (Todoist: Settings > Integrations > Developer > API token)");
      }
      return token;
    }

    @Override
    public void refresh() throws HttpFailure {
      String again = secrets.get(TOKEN_VARIABLE);
      if (again == null || again.isBlank() || again.equals(token)) {
        throw new HttpFailure(
            FailureType.AUTHENTICATION,
            401,
            "Todoist refused the API token in "
                + TOKEN_VARIABLE
                + " (HTTP 401 Unauthorized): the token is wrong or was revoked. Copy the current"
                + " one from Todoist (Settings > Integrations > Developer > API token) into "
                + TOKEN_VARIABLE
                + " and run again");
      }
      token = again;
    }

    @Override
    public List<String> secrets() {
      List<String> held = new ArrayList<>();
      if (token != null) {
        held.add(token);
      }
      return held;
    }
  }
}
