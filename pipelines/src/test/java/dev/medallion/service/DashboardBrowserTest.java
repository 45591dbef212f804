package dev.medallion.service;

import static dev.medallion.service.RecordedRuns.layers;
import static dev.medallion.service.RecordedRuns.n;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.medallion.ops.Layer;
import dev.medallion.ops.RunStatus;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.quality.QuarantineQuality;
import dev.medallion.platform.PipelineRegistry;
import dev.medallion.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's chromium, driven through chromium-driver by Selenium,
 * against the service on the embedded PostgreSQL with recorded runs. Each page is opened and
 * checked, the history filtered, and Retry pressed on a failed run of the readings example
 * pipeline, whose retry then succeeds. Screenshots go to target/dashboard-screenshots/.
 */
public class DashboardBrowserTest {
  private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  private static final Path DRIVER = Paths.get("/usr/bin/chromedriver");
  private static final Path SHOTS = Paths.get("target", "dashboard-screenshots");

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private OpsService service;
  private WebDriver browser;
  private String base;

  @Before
  public void recordRunsStartTheServiceAndTheBrowser() throws IOException {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    if (!"true".equals(System.getenv("CI"))) {
      Assume.assumeTrue(
          "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)",
          installed);
    }
    assertTrue("CI installs chromium and chromium-driver (.ci/run)", installed);
    TestDatabase.truncate(
        "bronze.readings_raw",
        "silver.readings",
        "ops.quarantine",
        "ops.pipeline_runs",
        "ops.processing_status",
        "ops.landed_files",
        "ops.run_logs",
        "ops.event_deliveries",
        "ops.events",
        "ops.data_quality_checks",
        "ops.data_quality_metrics");
    JdbcTarget target = TestDatabase.target();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    RecordedRuns runs = new RecordedRuns(target);
    runs.run(
        "edge-3-days-ago",
        "edge",
        RunStatus.SUCCEEDED,
        now.minus(Duration.ofDays(3)),
        9_000,
        null,
        layers(
            Layer.BRONZE, n(80, 80, 0, 300_000, 2_000),
            Layer.SILVER, n(80, 78, 2, 0, 3_000),
            Layer.GOLD, n(78, 10, 0, 0, 2_000),
            Layer.PLATINUM, n(10, 3, 0, 0, 1_000)));
    runs.run(
        "band-2-days-ago",
        "band",
        RunStatus.FAILED,
        now.minus(Duration.ofDays(2)),
        4_000,
        "endpoint(s) failed: shows",
        layers(Layer.BRONZE, n(40, 40, 0, 1_000, 1_000)));
    runs.run(
        "edge-today",
        "edge",
        RunStatus.SUCCEEDED,
        now.minus(Duration.ofMinutes(2)),
        11_000,
        null,
        layers(
            Layer.BRONZE, n(120, 118, 2, 500_000, 3_000),
            Layer.SILVER, n(118, 115, 3, 0, 4_000),
            Layer.GOLD, n(115, 14, 0, 0, 2_000),
            Layer.PLATINUM, n(14, 3, 0, 0, 1_000)));
    RecordedRuns.quarantined(
        "edge-today", "edge", Layer.BRONZE, "missing_field", 2, "store_id is missing");
    RecordedRuns.quarantined(
        "edge-today", "edge", Layer.SILVER, "duplicate", 3, "duplicate transaction T-7");
    runs.run(
        "readings-failed",
        "readings",
        RunStatus.FAILED,
        now.minus(Duration.ofMinutes(1)),
        1_500,
        "SQLException: connection refused",
        layers(Layer.BRONZE, n(0, 0, 0, 0, 0), Layer.SILVER, n(0, 0, 0, 0, 0)));
    TestDatabase.execute(
        "INSERT INTO ops.landed_files (pipeline, checksum, path, size_bytes, landed_at, records,"
            + " quarantined, status, run_id) VALUES ('edge', 'c0ffee', 'landing/store-7/2024-06-21.json',"
            + " 2048, now(), 120, 2, 'ingested', 'edge-today')");
    TestDatabase.execute(
        "INSERT INTO ops.data_quality_checks (pipeline, run_id, check_name, table_name,"
            + " check_query, expected_result, actual_result, passed) VALUES"
            + " ('edge', 'edge-today', 'gold_accuracy', 'gold.store_daily_summary',"
            + " 'SELECT COUNT(*) FROM gold.store_daily_summary WHERE total_revenue < 0', '0', '1',"
            + " false), ('edge', 'edge-today', 'bronze_completeness', 'bronze.edge_raw',"
            + " 'SELECT COUNT(*) FROM bronze.edge_raw WHERE raw_data IS NULL', '0', '0', true)");
    TestDatabase.execute(
        "WITH e AS (INSERT INTO ops.events (event_type, pipeline, run_id, payload) VALUES"
            + " ('execution.failed', 'readings', 'readings-failed', '{}') RETURNING id)"
            + " INSERT INTO ops.event_deliveries (event_id, webhook, status, attempts,"
            + " last_http_status, last_error) SELECT id, 'ops', 'pending', 2, 503, 'HTTP 503'"
            + " FROM e");

    Path landing = folder.newFolder("readings").toPath();
    Files.writeString(
        landing.resolve("r1.csv"), "reading_id,device,value\nR1,d1,12.5\nR2,d1,120\nR3,d2,7\n");
    service =
        new OpsService(
                target,
                new RunLauncher(
                    target,
                    PipelineRegistry.load(),
                    Map.of("readings", List.of("--source=" + landing)),
                    "direct",
                    System.out,
                    Clock.systemUTC()),
                List.of("browser-test-token"),
                new QuarantineQuality(target),
                Clock.systemUTC())
            .start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + service.port();

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1300,900");
    ChromeDriverService driver =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    browser = new ChromeDriver(driver, options);
    Files.createDirectories(SHOTS);
  }

  @After
  public void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (service != null) {
      service.close();
    }
  }

  @Test
  public void everyPageShowsTheRecordedRunsAndRetryRunsTheFailedOneAgain() throws Exception {
    open("/");
    assertEquals("Today's runs - Medallion", browser.getTitle());
    String today = text("today-runs");
    assertThat(today, containsString("edge-today"));
    assertThat(today, containsString("readings-failed"));
    assertTrue("an older run is not today's", !today.contains("edge-3-days-ago"));
    // edge-today: bronze 118, silver 115, gold 14, platinum 3 records out; 2 + 3 quarantined
    assertThat(rowOf("today-runs", "edge-today"), containsString("118 115 14 3 5"));
    shot("today");

    open("/history");
    assertThat(text("history-count"), containsString("4 run(s) match."));
    // One bronze point per run (all four ran bronze), one platinum line (the two edge runs).
    assertEquals(
        4, browser.findElements(By.cssSelector("#records-chart circle[fill='#b0703c']")).size());
    assertEquals(
        1, browser.findElements(By.cssSelector("#records-chart polyline.series-platinum")).size());
    shot("history");
    new Select(browser.findElement(By.id("filter-pipeline"))).selectByValue("edge");
    applyFiltersAndWaitFor("pipeline=edge");
    assertThat(text("history-count"), containsString("2 run(s) match."));
    assertEquals(
        List.of("edge-today", "edge-3-days-ago"),
        browser.findElements(By.cssSelector("#history-runs tr[data-run]")).stream()
            .map(r -> r.getAttribute("data-run"))
            .toList());
    new Select(browser.findElement(By.id("filter-status"))).selectByValue("failed");
    applyFiltersAndWaitFor("status=failed");
    assertThat(text("history-count"), containsString("0 run(s) match."));
    shot("history-filtered");

    open("/runs/edge-today");
    assertEquals("completed", text("run-status"));
    assertThat(rowOf("run-layers", "silver"), containsString("118 115 3"));
    assertThat(text("run-quarantine"), containsString("duplicate transaction T-7"));
    assertEquals(5, browser.findElements(By.cssSelector("#run-quarantine tr")).size() - 1);
    shot("run");

    open("/files");
    assertThat(text("files"), containsString("landing/store-7/2024-06-21.json"));
    open("/quality");
    // Runs of the last 24 hours: edge-today (120 in, 5 issues) and readings-failed (0 in):
    // 115 valid of 120 = 95.83%.
    assertEquals("95.83%", text("quality-score"));
    assertThat(text("quality-issues"), containsString("missing_fields 2"));
    assertThat(
        text("quality-checks"),
        containsString("gold_accuracy edge gold.store_daily_summary 0 1 failed edge-today"));
    assertThat(
        text("quality-checks"),
        containsString("bronze_completeness edge bronze.edge_raw 0 0 passed edge-today"));
    shot("quality");
    open("/quarantine");
    assertThat(text("quarantine"), containsString("store_id is missing"));
    open("/events");
    assertThat(text("events"), containsString("execution.failed readings readings-failed"));
    assertThat(text("events"), containsString("ops: pending (2 attempt(s), HTTP 503)"));

    open("/failed");
    assertThat(text("failed-runs"), containsString("SQLException: connection refused"));
    assertThat(text("failed-runs"), containsString("endpoint(s) failed: shows"));
    shot("failed");
    browser
        .findElement(By.cssSelector("#failed-runs button.retry[data-run='readings-failed']"))
        .click();
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(ExpectedConditions.urlContains("/runs/readings-"));
    String retried = text("run-id");
    // The run page reloads itself while the retry is going; wait for it to say how it ended.
    new WebDriverWait(browser, Duration.ofMinutes(5))
        .ignoring(NoSuchElementException.class)
        .ignoring(StaleElementReferenceException.class)
        .until(b -> !List.of("scheduled", "running").contains(text("run-status")));
    assertEquals("completed", text("run-status"));
    assertThat(text("run-log"), containsString("Retry of readings-failed on the dashboard"));
    assertThat(rowOf("run-layers", "silver"), containsString("3 2 1"));
    shot("retried");
    assertEquals(
        List.of("R1", "R3"),
        TestDatabase.rows("SELECT reading_id FROM silver.readings ORDER BY 1"));
    assertEquals(
        List.of("succeeded|bronze,silver"),
        TestDatabase.rows(
            "SELECT status, layers FROM ops.pipeline_runs WHERE run_id = '" + retried + "'"));

    // Replay on the quarantine page (with the write token): the same replay as the CLI's. R2
    // (120) is still above the limit, so the replay run succeeds and sets it aside again.
    open("/quarantine");
    new Select(browser.findElement(By.id("replay-pipeline"))).selectByValue("readings");
    browser.findElement(By.id("replay-token")).sendKeys("browser-test-token");
    shot("quarantine");
    browser.findElement(By.id("replay")).click();
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(ExpectedConditions.urlContains("/runs/readings-"));
    String replay = text("run-id");
    new WebDriverWait(browser, Duration.ofMinutes(5))
        .ignoring(NoSuchElementException.class)
        .ignoring(StaleElementReferenceException.class)
        .until(b -> !List.of("scheduled", "running").contains(text("run-status")));
    assertEquals("completed", text("run-status"));
    assertThat(text("run-log"), containsString("Replay on the dashboard's quarantine page"));
    // The one waiting record (R2) was taken by the replay run, which the history records.
    assertEquals(
        1L,
        TestDatabase.count(
            "SELECT count(*) FROM ops.quarantine WHERE replay_run_id = '" + replay + "'"));
    assertEquals(
        List.of("succeeded"),
        TestDatabase.rows("SELECT status FROM ops.pipeline_runs WHERE run_id = '" + replay + "'"));
  }

  private void open(String path) {
    browser.get(base + path);
  }

  /**
   * Submits the filter form and waits for the page it leads to: reading before the navigation ends
   * would see the old page, or an element the new one replaced.
   */
  private void applyFiltersAndWaitFor(String query) {
    browser.findElement(By.id("filter-apply")).click();
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.urlContains(query));
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(
            b ->
                "complete"
                    .equals(((JavascriptExecutor) b).executeScript("return document.readyState")));
  }

  /** An element's text; a page that reloads itself (runs going) may replace it, so look again. */
  private String text(String id) {
    return new WebDriverWait(browser, Duration.ofSeconds(30))
        .ignoring(NoSuchElementException.class)
        .ignoring(StaleElementReferenceException.class)
        .until(b -> b.findElement(By.id(id)).getText().strip());
  }

  /** A table row's cells (after the first), joined by spaces, without thousands separators. */
  private String rowOf(String table, String first) {
    for (WebElement row : browser.findElements(By.cssSelector("#" + table + " tr"))) {
      List<WebElement> cells = row.findElements(By.tagName("td"));
      if (!cells.isEmpty() && cells.get(0).getText().strip().equals(first)) {
        return String.join(
            " ",
            cells.stream()
                .skip(1)
                .map(c -> c.getText().strip().replace(",", ""))
                .filter(t -> t.matches("\\d+"))
                .toList());
      }
    }
    throw new AssertionError("no row " + first + " in #" + table);
  }

  private void shot(String name) throws IOException {
    Path file =
        ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(file, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
