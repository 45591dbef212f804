package dev.medallion.cli;

import static dev.medallion.transforms.inventory.SampleWorkbooks.row;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medallion.ops.quality.QuarantineQuality;
import dev.medallion.platform.PipelineRegistry;
import dev.medallion.service.OpsService;
import dev.medallion.service.RunLauncher;
import dev.medallion.testing.TestDatabase;
import dev.medallion.transforms.inventory.SampleWorkbooks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Backfill on a real pipeline: stock_health over small POI-written workbooks, through the CLI and
 * through the service's trigger with a date_range, on the embedded PostgreSQL. A range with one
 * failed date (the database refuses its gold rows), one missing date (its stock file had not
 * arrived) and, later, one whose gold rows were lost; {@code --only-failed} and {@code
 * --only-missing} run exactly those.
 */
public class StockHealthBackfillTest {
  private static final String TOKEN = "backfill-token-2c7e";
  private static final LocalDate D1 = LocalDate.of(2024, 6, 1);
  private static final LocalDate D2 = LocalDate.of(2024, 6, 2);
  private static final LocalDate D3 = LocalDate.of(2024, 6, 3);

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private Path in;
  private Path out;

  @Before
  public void clean() throws IOException {
    TestDatabase.execute(
        "DROP TRIGGER IF EXISTS refuse_second_june ON gold.stock_health;"
            + " DROP FUNCTION IF EXISTS ops.refuse_second_june()");
    InventoryTestTables.truncate();
    in = folder.newFolder("in").toPath();
    out = folder.newFolder("out").toPath();
    // One supplier row (lead 7, review 7, pack 6, cost 2.5) applying to every date of June.
    SampleWorkbooks.suppliers(
        in, LocalDate.of(2024, 5, 31), rows(row("A1", "Acme", 7, 10, 6, 2.5)));
  }

  @SuppressWarnings("unchecked")
  private static List<List<Object>> rows(List<Object>... rows) {
    return Arrays.asList(rows);
  }

  /** Store S01's stock of A1 on a date: 28 sold in 28 days, so stock_value = onHand * 2.50. */
  private void stock(LocalDate date, int onHand) throws IOException {
    SampleWorkbooks.stock(in, "S01", date, rows(row("A1", "Widget", onHand, 0, 28)));
  }

  @Test
  public void onlyFailedAndOnlyMissingRunExactlyThoseDatesThenTheTriggersDateRange()
      throws Exception {
    stock(D1, 30); // value 30 * 2.50 = 75.00
    stock(D2, 20); // value 50.00
    // D3: its stock file has not arrived yet.
    // The database refuses D2's gold rows (a failure inside the run): its run is recorded failed.
    TestDatabase.execute(
        "CREATE FUNCTION ops.refuse_second_june() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            + " IF NEW.business_date = DATE '2024-06-02' THEN"
            + " RAISE EXCEPTION 'test: 2024-06-02 refused'; END IF; RETURN NEW; END $$;"
            + " CREATE TRIGGER refuse_second_june BEFORE INSERT ON gold.stock_health"
            + " FOR EACH ROW EXECUTE FUNCTION ops.refuse_second_june()");

    CapturedRun.Result first = backfill();
    assertEquals(first.output(), 1, first.exitCode());
    assertThat(first.output(), containsString("3 of 3 date(s) to run"));
    assertThat(first.output(), containsString("dates done 1 of 3 (2024-06-01 succeeded)"));
    assertThat(first.output(), containsString("dates done 2 of 3 (2024-06-02 failed)"));
    assertThat(
        first.output(), containsString("2024-06-03: no stock workbook for 2024-06-03 in " + in));
    assertThat(first.output(), containsString("dates done 3 of 3 (2024-06-03 failed)"));
    // D3 never started, so its date has no run: it is missing, D2 failed.
    assertEquals(List.of("2024-06-01|succeeded", "2024-06-02|failed"), runs());
    assertEquals(List.of("2024-06-01|75.00"), gold());

    TestDatabase.execute(
        "DROP TRIGGER refuse_second_june ON gold.stock_health;"
            + " DROP FUNCTION ops.refuse_second_june()");
    stock(D3, 40); // value 100.00

    CapturedRun.Result failed = backfill("--only-failed");
    assertEquals(failed.output(), 0, failed.exitCode());
    assertThat(failed.output(), containsString("1 of 3 date(s) to run"));
    assertThat(failed.output(), containsString(": 2024-06-02\n"));
    assertThat(failed.output(), containsString("dates done 1 of 1 (2024-06-02 succeeded)"));
    assertEquals(
        List.of("2024-06-01|succeeded", "2024-06-02|failed", "2024-06-02|succeeded"), runs());
    assertEquals(List.of("2024-06-01|75.00", "2024-06-02|50.00"), gold());

    // D1's gold rows are lost: --only-missing takes it (no gold rows) and D3 (never run), not D2.
    TestDatabase.execute("DELETE FROM gold.stock_health WHERE business_date = '2024-06-01'");
    CapturedRun.Result missing = backfill("--only-missing");
    assertEquals(missing.output(), 0, missing.exitCode());
    assertThat(missing.output(), containsString("2 of 3 date(s) to run"));
    assertThat(missing.output(), containsString(": 2024-06-01, 2024-06-03\n"));
    assertThat(missing.output(), containsString("dates done 2 of 2 (2024-06-03 succeeded)"));
    assertEquals(
        List.of(
            "2024-06-01|succeeded",
            "2024-06-01|succeeded",
            "2024-06-02|failed",
            "2024-06-02|succeeded",
            "2024-06-03|succeeded"),
        runs());
    assertEquals(List.of("2024-06-01|75.00", "2024-06-02|50.00", "2024-06-03|100.00"), gold());

    // The trigger's date_range goes through the same backfill, runner and lock.
    try (OpsService service = service()) {
      String base = "http://127.0.0.1:" + service.port();
      // Every date done: nothing starts.
      HttpResponse<String> upToDate = trigger(base, "2024-06-01", "2024-06-03", false);
      assertEquals(upToDate.body(), 200, upToDate.statusCode());
      JsonNode none = new ObjectMapper().readTree(upToDate.body());
      assertEquals("up_to_date", none.get("status").asText());
      assertEquals(0, none.get("execution_ids").size());
      // Reversed and bad dates: 400, nothing started.
      assertEquals(400, trigger(base, "2024-06-03", "2024-06-01", false).statusCode());
      assertEquals(400, trigger(base, "2024-06-31", "2024-07-01", false).statusCode());
      assertEquals(5, runs().size());
      // force runs the date again (a run per date); D2's file now says 25 on hand (62.50).
      stock(D2, 25);
      HttpResponse<String> forced = trigger(base, "2024-06-02", "2024-06-02", true);
      assertEquals(forced.body(), 200, forced.statusCode());
      JsonNode body = new ObjectMapper().readTree(forced.body());
      assertEquals("scheduled", body.get("status").asText());
      assertEquals("[\"2024-06-02\"]", body.get("business_dates").toString());
      List<String> statuses = new ArrayList<>();
      for (JsonNode id : body.get("execution_ids")) {
        statuses.add(
            service
                .launcher()
                .launched(id.asText())
                .orElseThrow()
                .outcome()
                .get(5, TimeUnit.MINUTES)
                .status()
                .label());
      }
      assertEquals(List.of("succeeded"), statuses);
      assertEquals(body.get("execution_id").asText(), body.get("execution_ids").get(0).asText());
      assertEquals(
          List.of("2024-06-02|" + body.get("execution_ids").get(0).asText()),
          TestDatabase.rows(
              "SELECT business_date || '|' || run_id FROM ops.pipeline_runs"
                  + " WHERE business_date = '2024-06-02' AND status = 'succeeded'"
                  + " ORDER BY started_at DESC LIMIT 1"));
      assertEquals(6, runs().size());
      assertEquals(List.of("2024-06-01|75.00", "2024-06-02|62.50", "2024-06-03|100.00"), gold());
    }
  }

  @Test
  public void aPipelineWithoutBusinessDatesIsNamedWithThoseThatHaveThem() {
    CapturedRun.Result edge =
        CapturedRun.execute(
            withDatabase(
                new ArrayList<>(
                    List.of("backfill", "edge", "--from", "2024-06-01", "--to", "2024-06-02"))));
    assertEquals(2, edge.exitCode());
    assertThat(edge.errors(), containsString("the edge pipeline does not support business dates"));
    assertThat(edge.errors(), containsString("po_snapshots"));
    assertThat(edge.errors(), containsString("stock_health"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM ops.pipeline_runs"));
  }

  private OpsService service() {
    Clock clock = Clock.systemUTC();
    return new OpsService(
            TestDatabase.target(),
            new RunLauncher(
                TestDatabase.target(),
                PipelineRegistry.load(),
                Map.of("stock_health", List.of("--source=" + in, "--outputDir=" + out)),
                "direct",
                System.out,
                clock),
            List.of(TOKEN),
            new QuarantineQuality(TestDatabase.target()),
            clock)
        .start("127.0.0.1", 0);
  }

  private static HttpResponse<String> trigger(String base, String from, String to, boolean force)
      throws Exception {
    String body =
        "{\"pipeline_id\":\"stock_health\",\"parameters\":{\"date_range\":{\"start\":\""
            + from
            + "\",\"end\":\""
            + to
            + "\"},\"force\":"
            + force
            + "}}";
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/etl/trigger"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private CapturedRun.Result backfill(String... flags) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "backfill",
                "stock_health",
                "--from",
                D1.toString(),
                "--to",
                D3.toString(),
                "--source=" + in,
                "--outputDir=" + out));
    args.addAll(List.of(flags));
    return CapturedRun.execute(withDatabase(args));
  }

  private static List<String> withDatabase(List<String> args) {
    args.addAll(
        List.of(
            "--jdbc-url",
            TestDatabase.target().url(),
            "--jdbc-user",
            "postgres",
            "--jdbc-password=postgres"));
    return args;
  }

  private static List<String> runs() {
    return TestDatabase.rows(
        "SELECT business_date || '|' || status FROM ops.pipeline_runs"
            + " WHERE pipeline = 'stock_health' ORDER BY business_date, started_at");
  }

  private static List<String> gold() {
    return TestDatabase.rows(
        "SELECT business_date || '|' || stock_value FROM gold.stock_health ORDER BY 1");
  }
}
