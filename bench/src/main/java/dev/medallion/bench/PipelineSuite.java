package dev.medallion.bench;

import dev.medallion.io.files.FileSystemLandingZone;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Migrations;
import dev.medallion.pipelines.EdgeOptions;
import dev.medallion.pipelines.EdgePipeline;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The whole edge pipeline, files on disk to platinum, on the FlinkRunner's embedded cluster, in a
 * database of its own ({@code medallion_bench}) so that the user's tables are never touched.
 */
final class PipelineSuite {
  static final String DATABASE = "medallion_bench";
  private final JdbcTarget target;
  private final long seed;
  private final Path folder;
  private final PrintStream progress;
  private PipelineResult lastResult;

  PipelineSuite(JdbcTarget server, long seed, Path folder, PrintStream progress)
      throws SQLException {
    this.target = ownDatabase(server);
    this.seed = seed;
    this.folder = folder;
    this.progress = progress;
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

  /**
   * Each size: a warm-up, then the median of the timed runs, each from empty tables over the same
   * files.
   */
  List<Measurement> run(List<Long> sizes, int repeats) throws Exception {
    List<Measurement> results = new ArrayList<>();
    for (long rows : sizes) {
      results.add(measure(rows, "all", "files to platinum", "silver", repeats));
    }
    return results;
  }

  /** The bronze layer alone (files to bronze.edge_raw), for parsing's share of its wall time. */
  Measurement bronzeLayer(long rows, int repeats) throws Exception {
    return measure(rows, "bronze", "bronze layer alone", "bronze", repeats);
  }

  /**
   * Runs {@code layers} over {@code rows} generated rows and checks that all of them reached {@code
   * lastLayer}.
   */
  private Measurement measure(long rows, String layers, String what, String lastLayer, int repeats)
      throws Exception {
    Path landing = folder.resolve("landing-" + rows);
    long bytes = writeFiles(landing, rows);
    progress.printf("  pipeline: %,d rows, %s on embedded Flink ...%n", rows, what);
    Measurement m =
        Measurement.of(
            String.format(Locale.ROOT, "edge pipeline, %s, %,d rows", what, rows),
            bytes / 1048576.0,
            repeats,
            this::emptyTables,
            () -> runPipeline(landing, rows, layers),
            "");
    long landed =
        count(
            "SELECT count(*) FROM "
                + (lastLayer.equals("bronze") ? "bronze.edge_raw" : "silver.edge_transactions"));
    String check =
        landed == rows
            ? "all rows in " + lastLayer
            : "ONLY " + landed + " ROWS IN " + lastLayer.toUpperCase(Locale.ROOT);
    return m.withNote(check + "; " + batches());
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
    java.util.Collections.sort(sinks);
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

  private long runPipeline(Path landing, long rows, String layers) {
    EdgeOptions options = PipelineOptionsFactory.as(EdgeOptions.class);
    options.setLayers(layers);
    options.setAsOf("2024-07-01");
    options.setRunId("bench");
    options.setMoveProcessed(false);
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    flink.setRunner(FlinkRunner.class);
    flink.setFlinkMaster("[local]");
    flink.setParallelism(2);
    Pipeline pipeline = Pipeline.create(options);
    EdgePipeline.build(
        pipeline,
        options,
        new dev.medallion.platform.RunContext(
            "edge",
            "bench",
            target,
            new EdgePipeline().layerSet(),
            dev.medallion.ops.Mode.INCREMENTAL,
            dev.medallion.io.http.HttpClientConfiguration.create()),
        FileSystemLandingZone.at(landing.toString()));
    lastResult = pipeline.run();
    lastResult.waitUntilFinish();
    return rows;
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
