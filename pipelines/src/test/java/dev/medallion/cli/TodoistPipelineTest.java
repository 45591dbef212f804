package dev.medallion.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import dev.medallion.io.http.ProcessEnvironment;
import dev.medallion.testing.ApiFaultServer;
import dev.medallion.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The todoist pipeline through the real CLI, a real PostgreSQL and DirectRunner, against a loopback
 * replay (io/src/main/resources/recordings/todoist: the shared Todoist fixtures, the projects split
 * into two cursor pages, and three completed tasks in the documented {items, next_cursor} shape),
 * with --page-size 2, --completed-until 2024-06-19T00:00:00Z, --as-of 2024-06-19 and --timezone
 * Europe/Paris (CEST, UTC+2 in June; CET, UTC+1 in January).
 *
 * <p>The six tasks by hand (projects: Inbox 6Jf8VQXxpwv56VQ7, Work 6Jf8VRC4wMPGrp9x, Home & Travel
 * 6Jf8VRFq5jX4mPcW):
 *
 * <pre>
 * task              project  added (UTC -> Paris day)         completed (UTC -> Paris day)    due
 * A campsite (open) Home     2024-06-10T08:25:05Z -> 06-10     -                               2024-06-18
 * B weekly (open)   Work     2023-01-06T14:02:11Z -> 2023-01-06 -                              2024-06-21T22:00Z, Denver: 06-21
 * C rain jacket     Home     2024-06-10T08:26:40Z -> 06-10     -                               2024-06-20
 * D passport        Inbox    2024-06-03T09:00:00Z -> 06-03     2024-06-17T22:30:00Z -> 06-18   2024-06-12
 * E report          Work     2024-06-09T22:15:00Z -> 06-10     2024-06-10T15:00:00Z -> 06-10   -
 * F tent pegs       Home     2024-06-10T08:30:00Z -> 06-10     2024-06-18T06:00:00Z -> 06-18   2024-06-17
 * </pre>
 *
 * gold.tasks_daily (day, project: added, completed, open overdue):
 *
 * <ul>
 *   <li>2023-01-06 Work: 1 added (B).
 *   <li>2024-06-03 Inbox: 1 added (D).
 *   <li>2024-06-10 Home & Travel: 3 added (A, C, F); Work: 1 added (E, 00:15 in Paris though 06-09
 *       in UTC) and 1 completed (E).
 *   <li>2024-06-18 Home & Travel: 1 completed (F); Inbox: 1 completed (D, 00:30 in Paris though
 *       06-17 in UTC).
 *   <li>2024-06-19 (the as-of day) Home & Travel: 1 open overdue (A, due 06-18 &lt; 06-19; C is due
 *       06-20, B 06-21, D and F are completed).
 * </ul>
 *
 * Totals: 1 + 1 + 3 + 1 = 6 added (every task), 1 + 1 + 1 = 3 completed.
 */
public class TodoistPipelineTest {
  private static final String TOKEN = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0";
  private static final String GOLD =
      "2023-01-06|Work|1|0|0\n"
          + "2024-06-03|Inbox|1|0|0\n"
          + "2024-06-10|Home & Travel|3|0|0\n"
          + "2024-06-10|Work|1|1|0\n"
          + "2024-06-18|Home & Travel|0|1|0\n"
          + "2024-06-18|Inbox|0|1|0\n"
          + "2024-06-19|Home & Travel|0|0|1";
  private static final String TASKS =
      "6X7rF9xvX25jTxm5|Pack rain jacket|f|2024-06-20\n"
          + "6X7rM8997g3RQmvh|Book campsite for the Red Rocks weekend|f|2024-06-18\n"
          + "6X7rQ2mKp9Vd3Hc8|Renew passport|t|2024-06-12\n"
          + "6X7rT5wNb4Lx8Fj2|Send quarterly report|t|null\n"
          + "6X7rW8cYh6Pz1Gk4|Buy tent pegs|t|2024-06-17\n"
          + "6X7rfFVPjhvv84XG|Weekly review|f|2024-06-21";

  private ApiFaultServer api;
  private String lastOutput = "";

  @Before
  public void setUp() {
    TestDatabase.truncate(
        "bronze.todoist_raw",
        "silver.todoist_tasks",
        "silver.todoist_completions",
        "silver.todoist_projects",
        "gold.tasks_daily",
        "ops.owed_requests",
        "ops.quarantine",
        "ops.pipeline_runs",
        "ops.processing_status");
    ProcessEnvironment.setForTests("TODOIST_API_TOKEN", TOKEN);
    api = ApiFaultServer.over("recordings/todoist/");
  }

  @After
  public void tearDown() {
    api.close();
    ProcessEnvironment.setForTests("TODOIST_API_TOKEN", null);
  }

  private int runTodoist(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "todoist",
                "--page-size",
                "2",
                "--completed-until",
                "2024-06-19T00:00:00Z",
                "--as-of",
                "2024-06-19",
                "--timezone",
                "Europe/Paris",
                "--jdbc-url",
                TestDatabase.target().url(),
                "--jdbc-user",
                "postgres",
                "--jdbc-password=postgres",
                "--profile",
                "direct"));
    args.addAll(List.of(extra));
    args.addAll(
        List.of(
            "--landing",
            java.nio.file.Path.of("target", "landing-test", "todoist")
                .toAbsolutePath()
                .toString()));
    if (!args.contains("--todoist-base-url")) {
      args.addAll(List.of("--todoist-base-url", api.baseUrl()));
    }
    CapturedRun.Result run = CapturedRun.execute(args);
    lastOutput = run.output() + run.errors();
    return run.exitCode();
  }

  private static String tasks() {
    return String.join(
        "\n",
        TestDatabase.rows(
            "SELECT task_id, content, checked, due_date FROM silver.todoist_tasks"
                + " ORDER BY task_id"));
  }

  private static String gold() {
    return String.join(
        "\n",
        TestDatabase.rows(
            "SELECT day, project_name, added, completed, open_overdue FROM gold.tasks_daily"
                + " ORDER BY day, project_name"));
  }

  private List<String> queries(String path) {
    return api.requestsTo("GET", path).stream()
        .map(r -> new java.util.TreeMap<>(r.query()).toString())
        .toList();
  }

  @Test
  public void pagesEveryStreamToTheEndAndGoldIsWorkedOutByHand() {
    assertEquals(lastOutput, 0, runTodoist());
    assertEquals(TASKS, tasks());
    assertEquals(
        List.of(
            "6Jf8VQXxpwv56VQ7|Inbox|t",
            "6Jf8VRC4wMPGrp9x|Work|f",
            "6Jf8VRFq5jX4mPcW|Home & Travel|f"),
        TestDatabase.rows(
            "SELECT project_id, name, is_inbox FROM silver.todoist_projects ORDER BY child_order"));
    assertEquals(
        List.of(
            "6X7rQ2mKp9Vd3Hc8|2024-06-17 22:30:00",
            "6X7rT5wNb4Lx8Fj2|2024-06-10 15:00:00",
            "6X7rW8cYh6Pz1Gk4|2024-06-18 06:00:00"),
        TestDatabase.rows(
            "SELECT task_id, to_char(completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
                + " FROM silver.todoist_completions ORDER BY task_id"));
    assertEquals(GOLD, gold());
    assertEquals(
        List.of("{limit=2}", "{cursor=eyJwYWdlIjoyLCJsaW1pdCI6Mn0.aGk, limit=2}"),
        queries("/tasks"));
    assertEquals(List.of("{limit=2}", "{cursor=cHJvamVjdHM6Mg, limit=2}"), queries("/projects"));
    // The first run asks the 30 days before --completed-until.
    assertEquals(
        List.of(
            "{limit=2, since=2024-05-20T00:00:00Z, until=2024-06-19T00:00:00Z}",
            "{cursor=Y29tcGxldGVkOjI, limit=2, since=2024-05-20T00:00:00Z, until=2024-06-19T00:00:00Z}"),
        queries("/tasks/completed/by_completion_date"));
    assertThat(lastOutput, not(containsString(TOKEN)));
    assertEquals(
        "Bearer " + TOKEN,
        api.requestsTo("GET", "/projects").get(0).headers().get("Authorization").get(0));

    // The next run starts the completed window at the newest completion landed (F, 06:00Z) and
    // gets an empty page; the unchanged snapshot adds no bronze version: 3 active + 3 completed
    // + 3 projects.
    assertEquals(lastOutput, 0, runTodoist());
    assertEquals(
        "{limit=2, since=2024-06-18T06:00:00Z, until=2024-06-19T00:00:00Z}",
        queries("/tasks/completed/by_completion_date").get(2));
    assertEquals(9, TestDatabase.count("SELECT count(*) FROM bronze.todoist_raw"));
    assertEquals(TASKS, tasks());
    assertEquals(GOLD, gold());
  }

  @Test
  public void aRunThatFailsOnPageTwoResumesThereWithNoGapAndNoDuplicate() {
    // Page 1 of the active tasks, then a proxy's junk instead of page 2.
    api.answer("/tasks", api.recorded("v1_tasks_page1.json")).junk("/tasks", 1);
    assertEquals(1, runTodoist("--streams", "tasks"));
    assertThat(lastOutput, containsString("endpoint(s) failed: tasks"));
    assertEquals(
        List.of("tasks|/tasks|limit=2&cursor=eyJwYWdlIjoyLCJsaW1pdCI6Mn0.aGk|DATA"),
        TestDatabase.rows("SELECT stream, path, query, failure_type FROM ops.owed_requests"));
    // Pages that landed are in silver: A and B of the snapshot, D, E, F completed.
    assertEquals(5, TestDatabase.count("SELECT count(*) FROM silver.todoist_tasks"));

    // The owed page 2 is asked with its cursor (the fresh page 1 leads to it too: asked once);
    // C lands, nothing twice, and nothing is owed any more.
    assertEquals(lastOutput, 0, runTodoist("--streams", "tasks"));
    assertEquals(
        List.of(
            "{cursor=eyJwYWdlIjoyLCJsaW1pdCI6Mn0.aGk, limit=2}",
            "{cursor=eyJwYWdlIjoyLCJsaW1pdCI6Mn0.aGk, limit=2}",
            "{limit=2}",
            "{limit=2}"),
        queries("/tasks").stream().sorted().toList());
    assertEquals(TASKS, tasks());
    assertEquals(
        6,
        TestDatabase.count(
            "SELECT count(*) FROM bronze.todoist_raw WHERE endpoint IN ('tasks', 'completed_tasks')"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM ops.owed_requests"));
  }

  @Test
  public void aRetiredRestV2UrlFailsSayingWhatToChange() {
    assertEquals(
        1, runTodoist("--streams", "projects", "--todoist-base-url", api.origin() + "/rest/v2"));
    assertThat(lastOutput, containsString("this endpoint was retired"));
    assertThat(
        lastOutput, containsString("set --todoist-base-url to https://api.todoist.com/api/v1"));
    assertEquals(
        List.of("projects /projects?limit=2|request_failed"),
        TestDatabase.rows("SELECT source, error_class FROM ops.quarantine"));
  }

  @Test
  public void aRefusedTokenFailsWithWhatToDoAndIsNeverPrinted() {
    // The shared fixture's 401 body; the variable still holds the same token after one re-read.
    api.enqueue(
        "GET",
        "/projects",
        new dev.medallion.io.replay.ReplayHttpServer.Scripted(
            401,
            java.util.Map.of("Content-Type", "application/json"),
            "{\"error\": \"Invalid token\", \"http_code\": 401}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
            0));
    assertEquals(1, runTodoist("--streams", "projects"));
    assertThat(lastOutput, containsString("Todoist refused the API token in TODOIST_API_TOKEN"));
    assertThat(lastOutput, not(containsString(TOKEN)));
    assertEquals(1, api.requestsTo("GET", "/projects").size());
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM silver.todoist_projects"));
  }
}
