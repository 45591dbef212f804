package dev.medallion.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.medallion.ops.db.EmbeddedDatabase;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Migrations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The fault-injection test of the edge pipeline, with the CLI in processes of its own against a
 * PostgreSQL of this test's: on a generated landing zone (24 files in JSON, JSON Lines and CSV,
 * about 550 records with some bad ones and duplicates) on flink-local landed in four waves, the CLI
 * is killed with SIGKILL during bronze, during silver and during gold, PostgreSQL is restarted
 * during a run, and two runs of the pipeline start at once; after re-runs, every edge table and the
 * file ledger hold exactly what one undisturbed run over the same files wrote (checksums of every
 * row, run ids and timestamps left out).
 *
 * <p>Slow (a few minutes): run with {@code mvn -Pfault-injection verify -pl pipelines -am}; the
 * flink-cluster profile runs it too.
 */
public class EdgeFaultInjectionIT {
  private static final Duration PATIENCE = Duration.ofMinutes(8);
  private static final int WAVES = 4;
  private static final int FILES_PER_WAVE = 6;
  private static final String AS_OF = "2024-06-24";
  private static final Instant FIRST_LANDING = Instant.parse("2024-06-24T00:00:00Z");

  /** The tables compared, and the columns that differ between runs by nature. */
  private static final List<String> TABLES =
      List.of(
          "bronze.edge_raw",
          "silver.edge_transactions",
          "gold.store_daily_summary",
          "platinum.store_features",
          "ops.landed_files",
          "ops.quarantine");

  private static final Set<String> VOLATILE =
      Set.of(
          "ingested_at",
          "updated_at",
          "last_updated",
          "change_seq",
          "run_id",
          "quarantined_at",
          "replay_run_id");

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private EmbeddedDatabase database;
  private Connection poll;
  private Path landing;
  private int launched;
  private final List<String> caught = new ArrayList<>();

  @Before
  public void startDatabase() throws IOException {
    database = EmbeddedDatabase.startDisposable(folder.newFolder("pgdata").toPath());
    Migrations.apply(database.target());
  }

  @After
  public void stopDatabase() {
    closeQuietly(poll);
    dev.medallion.ops.db.ConnectionPool.closeAll();
    database.close();
  }

  @Test
  public void killsRestartsAndConcurrentRunsEndWithTheTablesOfAnUndisturbedRun() throws Exception {
    long start = System.nanoTime();
    List<Map<String, String>> waves = generateWaves(new Random(20240624));
    landing = folder.getRoot().toPath().resolve("landing");

    // The undisturbed run: every file, one run.
    Files.createDirectories(landing);
    for (int wave = 0; wave < WAVES; wave++) {
      land(waves, wave);
    }
    assertEquals(0, runToEnd("undisturbed"));
    Map<String, String> expected = checksums();
    long bronze = count("SELECT count(*) FROM bronze.edge_raw");
    long quarantined = count("SELECT count(*) FROM ops.quarantine");
    assertEquals(WAVES * FILES_PER_WAVE, count("SELECT count(*) FROM ops.landed_files"));
    assertTrue("some records are quarantined", quarantined > 5);
    assertTrue("gold has store-days", count("SELECT count(*) FROM gold.store_daily_summary") > 30);

    // The same files again, on a clean database, through faults.
    execute(
        "TRUNCATE bronze.edge_raw, silver.edge_transactions, gold.store_daily_summary,"
            + " platinum.store_features, ops.landed_files, ops.quarantine, ops.pipeline_runs,"
            + " ops.processing_status");
    deleteRecursively(landing);
    Files.createDirectories(landing);

    // Wave 1: killed during bronze, then the re-run killed during silver.
    land(waves, 0);
    killWhen(
        "bronze",
        "SELECT (SELECT count(*) FROM bronze.edge_raw) > 0"
            + " AND (SELECT count(*) FROM ops.landed_files) < "
            + FILES_PER_WAVE);
    killWhen("silver", "SELECT (SELECT count(*) FROM silver.edge_transactions) > 0");

    // Wave 2: PostgreSQL stopped once a run has written some of the wave to bronze, and started
    // again
    // once that run has ended.
    land(waves, 1);
    long landedBefore = count("SELECT count(*) FROM ops.landed_files");
    restartDatabaseWhen(
        "SELECT (SELECT count(*) FROM bronze.edge_raw WHERE created_at >= '"
            + FIRST_LANDING.plusSeconds(60L * FILES_PER_WAVE)
            + "') > 0",
        landedBefore);

    // Wave 3: two runs at once.
    land(waves, 2);
    twoRunsAtOnce();

    // Wave 4: killed while gold is written.
    land(waves, 3);
    killWhen(
        "gold",
        "SELECT EXISTS (SELECT 1 FROM gold.store_daily_summary g JOIN ops.pipeline_runs r"
            + " ON r.status = 'running' AND g.last_updated >= r.started_at)");

    assertEquals(0, runToEnd("final re-run"));
    assertEquals(
        "no run is left recorded as running",
        0,
        count("SELECT count(*) FROM ops.pipeline_runs WHERE status = 'running'"));
    assertTrue(
        "every kill that caught a run is recorded abandoned (and a run whose end PostgreSQL was"
            + " down for, too)",
        count("SELECT count(*) FROM ops.pipeline_runs WHERE status = 'abandoned'")
            >= caught.stream().filter(c -> c.startsWith("killed")).count());
    assertEquals(bronze, count("SELECT count(*) FROM bronze.edge_raw"));
    assertEquals(quarantined, count("SELECT count(*) FROM ops.quarantine"));
    assertEquals(expected, checksums());
    System.out.printf(
        "Fault injection: %d files, %d bronze records, %d quarantined; faults: %s; %d CLI runs;"
            + " %d s%n",
        WAVES * FILES_PER_WAVE,
        bronze,
        quarantined,
        caught,
        launched,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
  }

  // ---- faults ----------------------------------------------------------------------------------

  /** Starts a run and kills it with SIGKILL once {@code condition} holds while it runs. */
  private void killWhen(String phase, String condition) throws Exception {
    Path log = nextLog("kill-" + phase);
    Process cli = startRun(log);
    try {
      if (await(cli, condition)) {
        cli.destroyForcibly();
        assertTrue(cli.waitFor(30, TimeUnit.SECONDS));
        caught.add("killed during " + phase);
      } else {
        assertEquals(Files.readString(log), 0, cli.exitValue());
        caught.add("run ended before the " + phase + " kill");
      }
    } finally {
      cli.destroyForcibly();
      show(log);
    }
  }

  /**
   * Starts a run and, once {@code condition} holds, stops PostgreSQL until the run has ended, then
   * starts it again: the run fails saying that the database connection was lost and that re-running
   * is safe (or, if it needed the database no more, succeeds).
   */
  private void restartDatabaseWhen(String condition, long landedBefore) throws Exception {
    Path log = nextLog("restart");
    Process cli = startRun(log);
    try {
      if (!await(cli, condition)) {
        assertEquals(Files.readString(log), 0, cli.exitValue());
        caught.add("run ended before the restart");
        return;
      }
      closeQuietly(poll);
      poll = null;
      boolean[] ended = new boolean[1];
      database =
          database.restart(
              () -> {
                try {
                  ended[0] = cli.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      assertTrue("the CLI ends while PostgreSQL is down", ended[0]);
      String output = Files.readString(log);
      if (cli.exitValue() == 0) {
        caught.add("restart after the run's last statement");
      } else {
        assertEquals(output, 1, cli.exitValue());
        assertThat(output, containsString("the database connection was lost"));
        assertThat(output, containsString("running the same command again is safe"));
        caught.add(
            "PostgreSQL stopped mid-run and started again (the run failed, saying re-running is safe)");
      }
      assertTrue(count("SELECT count(*) FROM ops.landed_files") >= landedBefore);
    } finally {
      cli.destroyForcibly();
      show(log);
    }
  }

  /** Two runs started together: one writes, the other waits for it, then both succeed. */
  private void twoRunsAtOnce() throws Exception {
    Path firstLog = nextLog("together-1");
    Path secondLog = nextLog("together-2");
    Process first = startRun(firstLog);
    Process second = startRun(secondLog);
    try {
      assertTrue(first.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS));
      assertTrue(second.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS));
      String both = Files.readString(firstLog) + Files.readString(secondLog);
      assertEquals(both, 0, first.exitValue());
      assertEquals(both, 0, second.exitValue());
      assertThat(both, containsString("to end: only one run of a pipeline writes at a time"));
      assertTrue(!both.contains("deadlock"));
      caught.add("two runs at once (one waited, both succeeded)");
    } finally {
      first.destroyForcibly();
      second.destroyForcibly();
      show(firstLog);
      show(secondLog);
    }
  }

  /**
   * Polls {@code condition} while the CLI runs: true once it holds (the CLI still running), false
   * when the CLI ended first.
   */
  private boolean await(Process cli, String condition) throws Exception {
    Clock clock = Clock.systemUTC();
    Instant deadline = clock.instant().plus(PATIENCE);
    while (clock.instant().isBefore(deadline)) {
      if (!cli.isAlive()) {
        return false;
      }
      if (holds(condition)) {
        return cli.isAlive();
      }
      cli.waitFor(20, TimeUnit.MILLISECONDS);
    }
    fail("the condition never held within " + PATIENCE + ": " + condition);
    return false;
  }

  private int runToEnd(String what) throws Exception {
    Path log = nextLog(what.replace(' ', '-'));
    Process cli = startRun(log);
    try {
      if (!cli.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
        Process jstack =
            new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                    Long.toString(cli.pid()))
                .redirectErrorStream(true)
                .start();
        System.out.println(new String(jstack.getInputStream().readAllBytes()));
        fail(what + " did not end within " + PATIENCE + ":\n" + Files.readString(log));
      }
      return cli.exitValue();
    } finally {
      cli.destroyForcibly();
      show(log);
    }
  }

  /** A child's output, into this test's report. */
  private static void show(Path log) throws IOException {
    System.out.println("---- " + log.getFileName() + "\n" + Files.readString(log));
  }

  private Process startRun(Path log) throws IOException {
    launched++;
    return ChildCli.start(
        database.target(),
        List.of(
            "run",
            "edge",
            "--source",
            landing.toString(),
            "--as-of",
            AS_OF,
            // Flink, as in the reports this test answers: DirectRunner spends minutes per run on
            // its per-bundle checks once a thousand transaction ids are grouped.
            "--profile",
            "flink-local"),
        log);
  }

  private Path nextLog(String name) {
    return folder
        .getRoot()
        .toPath()
        .resolve(String.format(Locale.ROOT, "%02d-%s.log", launched + 1, name));
  }

  // ---- the landing zone ------------------------------------------------------------------------

  /**
   * Four waves of six files (JSON arrays, JSON Lines, CSV with a header), 15 to 30 records each:
   * six stores with three devices each over two weeks, about one JSON record in 30 with an amount
   * that is not a number, and about one in 40 repeating an earlier transaction id with another
   * amount.
   */
  private static List<Map<String, String>> generateWaves(Random random) {
    List<Map<String, String>> waves = new ArrayList<>();
    int transaction = 0;
    for (int wave = 0; wave < WAVES; wave++) {
      Map<String, String> files = new LinkedHashMap<>();
      for (int f = 0; f < FILES_PER_WAVE; f++) {
        int index = wave * FILES_PER_WAVE + f;
        int store = 1 + random.nextInt(6);
        String device = String.format(Locale.ROOT, "d%d-%d", store, 1 + random.nextInt(3));
        List<String[]> records = new ArrayList<>();
        int size = 15 + random.nextInt(16);
        for (int r = 0; r < size; r++) {
          String id =
              transaction > 50 && random.nextInt(40) == 0
                  ? String.format(Locale.ROOT, "TX-%05d", random.nextInt(transaction))
                  : String.format(Locale.ROOT, "TX-%05d", ++transaction);
          LocalDate day = LocalDate.of(2024, 6, 10).plusDays(random.nextInt(14));
          String timestamp =
              String.format(
                  Locale.ROOT,
                  "%sT%02d:%02d:%02dZ",
                  day,
                  random.nextInt(24),
                  random.nextInt(60),
                  random.nextInt(60));
          String amount =
              f % 3 != 2 && random.nextInt(30) == 0
                  ? "lots"
                  : String.format(
                      Locale.ROOT, "%d.%02d", 1 + random.nextInt(200), random.nextInt(100));
          String payment = List.of("card", "cash", "mobile").get(random.nextInt(3));
          records.add(
              new String[] {
                device, id, String.format(Locale.ROOT, "S%02d", store), timestamp, amount, payment
              });
        }
        String name = String.format(Locale.ROOT, "device-%02d", index);
        switch (f % 3) {
          case 0 -> files.put(name + ".json", jsonArray(records));
          case 1 -> files.put(name + ".jsonl", jsonLines(records));
          default -> files.put(name + ".csv", csv(records));
        }
      }
      waves.add(files);
    }
    return waves;
  }

  private static String json(String[] r) {
    boolean numeric = r[4].matches("[0-9.]+");
    return String.format(
        Locale.ROOT,
        "{\"device_id\": \"%s\", \"transaction_id\": \"%s\", \"store_id\": \"%s\", \"timestamp\": \"%s\","
            + " \"amount\": %s, \"currency\": \"USD\", \"payment_method\": \"%s\"}",
        r[0],
        r[1],
        r[2],
        r[3],
        numeric ? r[4] : "\"" + r[4] + "\"",
        r[5]);
  }

  private static String jsonArray(List<String[]> records) {
    return "[\n  "
        + String.join(",\n  ", records.stream().map(EdgeFaultInjectionIT::json).toList())
        + "\n]\n";
  }

  private static String jsonLines(List<String[]> records) {
    return String.join("\n", records.stream().map(EdgeFaultInjectionIT::json).toList()) + "\n";
  }

  private static String csv(List<String[]> records) {
    StringBuilder csv =
        new StringBuilder(
            "device_id,transaction_id,store_id,timestamp,amount,currency,payment_method\n");
    for (String[] r : records) {
      csv.append(String.join(",", r[0], r[1], r[2], r[3], r[4], "USD", r[5])).append('\n');
    }
    return csv.toString();
  }

  /** Writes a wave's files, each landed a minute after the one before. */
  private void land(List<Map<String, String>> waves, int wave) throws IOException {
    int index = wave * FILES_PER_WAVE;
    for (Map.Entry<String, String> file : waves.get(wave).entrySet()) {
      Path path = landing.resolve(file.getKey());
      Files.writeString(path, file.getValue());
      Files.setLastModifiedTime(path, FileTime.from(FIRST_LANDING.plusSeconds(60L * index++)));
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  // ---- the database ----------------------------------------------------------------------------

  /** Per table: its row count and the MD5 of its rows (volatile columns left out) in order. */
  private Map<String, String> checksums() throws SQLException {
    Map<String, String> sums = new LinkedHashMap<>();
    for (String table : TABLES) {
      String[] name = table.split("\\.");
      List<String> columns = new ArrayList<>();
      try (Connection c = connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT column_name FROM information_schema.columns WHERE table_schema = '"
                      + name[0]
                      + "' AND table_name = '"
                      + name[1]
                      + "' ORDER BY ordinal_position")) {
        while (rs.next()) {
          String column = rs.getString(1);
          boolean serialId = table.equals("ops.quarantine") && column.equals("id");
          if (!VOLATILE.contains(column) && !serialId) {
            columns.add(column);
          }
        }
      }
      String sum =
          text(
              "SELECT count(*) || ' rows, md5 ' || coalesce(md5(string_agg(r, E'\\n' ORDER BY r)), '-')"
                  + " FROM (SELECT ROW("
                  + String.join(", ", columns)
                  + ")::text AS r FROM "
                  + table
                  + ") t");
      sums.put(table + " (" + String.join(",", columns) + ")", sum);
    }
    return sums;
  }

  private Connection connect() throws SQLException {
    JdbcTarget target = database.target();
    return DriverManager.getConnection(target.url(), "postgres", "postgres");
  }

  /** Whether a condition holds, on one connection kept for polling (opened again when lost). */
  private boolean holds(String condition) {
    try {
      if (poll == null || poll.isClosed()) {
        poll = connect();
      }
      try (Statement s = poll.createStatement();
          ResultSet rs = s.executeQuery(condition)) {
        return rs.next() && rs.getBoolean(1);
      }
    } catch (SQLException e) {
      closeQuietly(poll);
      poll = null;
      return false; // the database is restarting
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException e) {
      // gone already
    }
  }

  private String text(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private long count(String sql) throws SQLException {
    return Long.parseLong(text(sql));
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
