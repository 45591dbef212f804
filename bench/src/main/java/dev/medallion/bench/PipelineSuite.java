package dev.medallion.bench;

import dev.medallion.io.files.FileSystemLandingZone;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.ops.Layer;
import dev.medallion.ops.Mode;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Migrations;
import dev.medallion.pipelines.EdgeOptions;
import dev.medallion.pipelines.EdgePipeline;
import dev.medallion.platform.RunContext;
import dev.medallion.platform.RunnerProfiles;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The whole edge pipeline, files on disk to platinum in PostgreSQL, on each runner profile a user
 * runs ({@code direct}, {@code flink-local}, and a standalone cluster when one is given), and the
 * same work done by {@link HandWrittenEdge}, each from emptied tables over the same files, in a
 * database of its own ({@code medallion_bench}) so that the user's tables are never touched. After
 * each method's last run it takes a checksum of gold and platinum: every method must leave the same
 * tables.
 */
final class PipelineSuite {
  static final String DATABASE = "medallion_bench";
  static final String HAND_WRITTEN =
      "hand-written: one thread, plain JDBC (COPY, batched INSERT ... ON CONFLICT, gold and platinum in SQL)";
  static final String DIRECT = "Beam pipeline, direct profile (DirectRunner)";
  static final String FLINK_LOCAL = "Beam pipeline, flink-local profile (embedded Flink)";

  /** The day platinum is computed as of: the generated sales fall in the 180 days before it. */
  static final LocalDate AS_OF = LocalDate.parse("2024-07-01");

  static final Duration DEFAULT_TIME_LIMIT = Duration.ofMinutes(20);

  private final JdbcTarget target;
  private final long seed;
  private final Path folder;
  private final PrintStream progress;
  private Duration timeLimit = DEFAULT_TIME_LIMIT;
  @Nullable private String clusterMaster;
  private List<String> filesToStage = List.of();
  private boolean warmUp = true;

  /** Set by the run's own thread, read by the one that may have to cancel it. */
  private volatile PipelineResult lastResult;

  private final CpuSeconds cpu;
  private String lastRunCpu = "";

  PipelineSuite(JdbcTarget server, long seed, Path folder, PrintStream progress)
      throws SQLException {
    this.target = ownDatabase(server);
    this.cpu = CpuSeconds.of(target);
    this.seed = seed;
    this.folder = folder;
    this.progress = progress;
  }

  /** Each run that takes longer is stopped and reported as not finished. */
  PipelineSuite withTimeLimit(Duration limit) {
    this.timeLimit = limit;
    return this;
  }

  /**
   * Times each method once, without a warm-up run before it: for a check of what the methods leave
   * in the tables, where the time does not matter.
   */
  PipelineSuite withoutWarmUp() {
    this.warmUp = false;
    return this;
  }

  /** Measures the standalone Flink cluster at {@code master} too, staging {@code jars} on it. */
  PipelineSuite withCluster(@Nullable String master, List<String> jars) {
    this.clusterMaster = master;
    this.filesToStage = jars;
    return this;
  }

  static String clusterMethod(String master) {
    return "Beam pipeline, flink-cluster profile (standalone Flink at " + master + ")";
  }

  /** The same server, database {@value #DATABASE}, created and migrated when missing. */
  static JdbcTarget ownDatabase(JdbcTarget server) throws SQLException {
    try (Connection c = ConnectionPool.forTarget(server).getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        if (!rs.next()) {
          s.execute("CREATE DATABASE " + DATABASE);
        }
      }
    }
    JdbcTarget bench = server.withDatabase(DATABASE);
    Migrations.apply(bench);
    return bench;
  }

  /** What a method left in gold and platinum: row counts and order-independent checksums. */
  record EdgeTables(TableState gold, TableState platinum) {}

  /**
   * One method at one size: its measurement, and what its last run left in gold and platinum (null
   * when it did not finish).
   */
  record Run(String method, long size, Measurement measurement, @Nullable EdgeTables tables) {}

  /** A run stopped at the time limit. */
  static final class DidNotFinish extends Exception {
    private static final long serialVersionUID = 1L;

    DidNotFinish(String message) {
      super(message);
    }
  }

  /** One way of doing the whole job over a landing folder. */
  @FunctionalInterface
  private interface Method {
    void run(Path landing) throws Exception;
  }

  /** The methods, in the order they run at each size: the reference first, DirectRunner last. */
  List<String> methods() {
    List<String> methods = new ArrayList<>(List.of(HAND_WRITTEN, FLINK_LOCAL));
    if (clusterMaster != null) {
      methods.add(clusterMethod(clusterMaster));
    }
    methods.add(DIRECT);
    return methods;
  }

  private Method method(String name) {
    if (name.equals(HAND_WRITTEN)) {
      return landing -> new HandWrittenEdge(target, AS_OF).run(landing);
    }
    String profile =
        name.equals(DIRECT) ? "direct" : name.equals(FLINK_LOCAL) ? "flink-local" : "flink-cluster";
    return landing -> runPipeline(landing, "all", profile);
  }

  /**
   * Every method at every size: a warm-up, then the median of the timed runs, each from empty
   * tables over the same files. A method stopped at the time limit is not run at larger sizes.
   */
  List<Run> wholePipeline(List<Long> sizes, int repeats) throws Exception {
    List<Run> runs = new ArrayList<>();
    Set<String> stopped = new HashSet<>();
    for (long rows : sizes) {
      Path landing = folder.resolve("landing-" + rows);
      double megabytes = writeFiles(landing, rows) / 1048576.0;
      for (String name : methods()) {
        if (stopped.contains(name)) {
          runs.add(
              new Run(
                  name,
                  rows,
                  Measurement.didNotFinish(
                      name, rows, megabytes, "not run: it did not finish at a smaller size"),
                  null));
          continue;
        }
        progress.printf("  runners: %,d rows, %s ...%n", rows, name);
        Method method = method(name);
        try {
          Measurement m =
              Measurement.of(
                  name,
                  megabytes,
                  repeats,
                  warmUp,
                  this::emptyTables,
                  () -> {
                    CpuSeconds.Reading before = cpu.read();
                    withinTimeLimit(method, landing);
                    lastRunCpu = before.until(cpu.read());
                    return rows;
                  },
                  "");
          runs.add(new Run(name, rows, m.withNote(note(name, rows)), tables()));
        } catch (DidNotFinish e) {
          stopped.add(name);
          runs.add(
              new Run(
                  name,
                  rows,
                  Measurement.didNotFinish(name, rows, megabytes, e.getMessage()),
                  null));
        }
      }
    }
    return runs;
  }

  /** The bronze layer alone (files to bronze.edge_raw) on embedded Flink, for parsing's share. */
  Measurement bronzeLayer(long rows, int repeats) throws Exception {
    Path landing = folder.resolve("landing-" + rows);
    long bytes = writeFiles(landing, rows);
    progress.printf("  pipeline: %,d rows, bronze layer alone on embedded Flink ...%n", rows);
    Measurement m =
        Measurement.of(
            String.format(Locale.ROOT, "edge pipeline, bronze layer alone, %,d rows", rows),
            bytes / 1048576.0,
            repeats,
            this::emptyTables,
            () -> {
              runPipeline(landing, "bronze", "flink-local");
              return rows;
            },
            "");
    long landed = count("SELECT count(*) FROM bronze.edge_raw");
    String check = landed == rows ? "all rows in bronze" : "ONLY " + landed + " ROWS IN BRONZE";
    return m.withNote(check + "; " + batches());
  }

  /** Whether every row reached silver, and for a Beam run the batches its sinks sent. */
  private String note(String method, long rows) throws SQLException {
    long landed = count("SELECT count(*) FROM silver.edge_transactions");
    String check = landed == rows ? "all rows in silver" : "ONLY " + landed + " ROWS IN SILVER";
    check += "; " + lastRunCpu;
    return method.equals(HAND_WRITTEN) ? check : check + "; " + batches();
  }

  /**
   * Runs {@code run} on a thread of its own for at most the time limit. Past it, the pipeline is
   * cancelled, the thread interrupted, and the sessions the run left in the bench database are
   * ended so that the next run can empty the tables.
   */
  private void withinTimeLimit(Method method, Path landing) throws Exception {
    lastResult = null;
    ExecutorService thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "bench-run");
              t.setDaemon(true);
              return t;
            });
    try {
      Future<Void> done =
          thread.submit(
              () -> {
                method.run(landing);
                return null;
              });
      try {
        done.get(timeLimit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      } catch (TimeoutException e) {
        PipelineResult running = lastResult;
        if (running != null) {
          try {
            running.cancel();
          } catch (Exception | Error cancelFailed) {
            progress.println("  (could not cancel the pipeline: " + cancelFailed + ")");
          }
        }
        done.cancel(true);
        endOtherSessions();
        throw new DidNotFinish(
            String.format(Locale.ROOT, "did not finish in %d min", timeLimit.toMinutes()));
      }
    } finally {
      thread.shutdownNow();
    }
  }

  /**
   * Ends every other session in the bench's own database: a stopped run's workers may still hold
   * locks that TRUNCATE would wait for. Nothing but the bench uses this database.
   */
  private void endOtherSessions() throws SQLException {
    count(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '"
            + DATABASE
            + "' AND pid <> pg_backend_pid()");
  }

  /** The average batch each batching sink sent in the last run, from the pipeline's metrics. */
  private String batches() {
    List<String> sinks = new ArrayList<>();
    for (MetricResult<DistributionResult> batch :
        lastResult.metrics().queryMetrics(MetricsFilter.builder().build()).getDistributions()) {
      String name = batch.getName().getName();
      if (name.endsWith("_batch_rows")) {
        DistributionResult d = batch.getAttempted();
        sinks.add(
            String.format(
                Locale.ROOT,
                "%s %,.0f rows in %,d batches",
                name.replace("_batch_rows", ""),
                d.getMean(),
                d.getCount()));
      }
    }
    Collections.sort(sinks);
    return "average batch: " + String.join(", ", sinks);
  }

  private long writeFiles(Path landing, long rows) throws Exception {
    Files.createDirectories(landing);
    long bytes = 0;
    for (long f = 0; f < EdgeFiles.fileCount(rows); f++) {
      Path file = landing.resolve(EdgeFiles.name(f));
      if (!Files.exists(file)) {
        Files.write(file, EdgeFiles.content(f, rows, seed));
      }
      bytes += Files.size(file);
    }
    return bytes;
  }

  private long emptyTables() throws SQLException {
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "TRUNCATE bronze.edge_raw, silver.edge_transactions, ops.quarantine, gold.store_daily_summary,"
              + " platinum.store_features, ops.pipeline_runs, ops.landed_files");
    }
    return 0;
  }

  /**
   * The runner options of a profile, read as {@code ./medallion run --profile NAME} reads them
   * (runner-profiles/NAME.properties); a standalone cluster gets the bench's master and jars.
   */
  private EdgeOptions optionsOf(String profile) throws Exception {
    Map<String, String> settings = RunnerProfiles.load(profile);
    EdgeOptions options =
        PipelineOptionsFactory.fromArgs(
                RunnerProfiles.merge(settings, List.of()).toArray(String[]::new))
            .as(EdgeOptions.class);
    if (profile.equals("flink-cluster")) {
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      flink.setFlinkMaster(clusterMaster);
      if (!filesToStage.isEmpty()) {
        flink.setFilesToStage(filesToStage);
      }
    }
    return options;
  }

  /** A profile's options as one line, for the report's conditions. */
  static String describeProfile(String profile) throws Exception {
    return RunnerProfiles.load(profile).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  private void runPipeline(Path landing, String layers, String profile) throws Exception {
    EdgeOptions options = optionsOf(profile);
    options.setLayers(layers);
    options.setAsOf(AS_OF.toString());
    options.setRunId("bench");
    options.setMoveProcessed(false);
    EdgePipeline edge = new EdgePipeline();
    Pipeline pipeline = Pipeline.create(options);
    EdgePipeline.build(
        pipeline,
        options,
        new RunContext(
            EdgePipeline.NAME,
            "bench",
            target,
            Layer.parse(layers, edge.layerSet()),
            Mode.INCREMENTAL,
            HttpClientConfiguration.create()),
        FileSystemLandingZone.at(landing.toString()));
    lastResult = pipeline.run();
    PipelineResult.State state = lastResult.waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the " + profile + " pipeline ended in state " + state);
    }
  }

  /**
   * Row count and checksum of gold and platinum, without the columns that say when a row was
   * written. Platinum's sample stddev is compared to 10 decimals: the pipeline sums squares of
   * doubles (compensated) where PostgreSQL computes it exactly and rounds once, and the two part in
   * the last bits (seen at 62,500 to 250,000 rows); every other column is compared as stored.
   */
  EdgeTables tables() throws SQLException {
    return new EdgeTables(
        state(
            "gold.store_daily_summary",
            "store_id, transaction_date, transaction_count, active_devices, total_revenue,"
                + " avg_transaction_value, most_common_payment, first_transaction_time, last_transaction_time"),
        state(
            "platinum.store_features",
            "store_id, as_of_date, window_start, days_with_data, avg_daily_transactions,"
                + " round(stddev_daily_transactions::numeric, 10), avg_daily_revenue, ma7_transactions,"
                + " weekday_avg, weekend_avg"));
  }

  private TableState state(String table, String columns) throws SQLException {
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*), coalesce((sum(('x' || substr(md5(ROW("
                    + columns
                    + ")::text), 1, 15))::bit(60)::bigint) % 9223372036854775807)::bigint, 0)"
                    + " FROM "
                    + table)) {
      rs.next();
      return new TableState(rs.getLong(1), rs.getLong(2));
    }
  }

  private long count(String sql) throws SQLException {
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
