package dev.medallion.cli;

import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.io.elgoose.ElGooseEndpoint;
import dev.medallion.io.api.ApiSource;
import dev.medallion.io.elgoose.ElGooseConnector;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.io.jdbc.PooledDataSource;
import dev.medallion.pipelines.BandOptions;
import dev.medallion.pipelines.BandPipeline;
import dev.medallion.ops.Layer;
import dev.medallion.core.LayerCounts;
import dev.medallion.ops.Mode;
import dev.medallion.ops.RunRecorder;
import dev.medallion.transforms.band.BandGoldTable;
import dev.medallion.transforms.band.BandTables;
import dev.medallion.transforms.band.SilverTable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;

/** Runs the band pipeline once: options, the incremental watermark, run record, progress and the summary. */
final class BandJob {
  /** What the user asked for. */
  record Settings(String layers, Mode mode, String endpoints, String baseUrl, Integer recordLimit, String profile,
      List<String> beamArgs) {}

  /** How the run ended, and which endpoints failed (endpoint to reason). */
  record Outcome(boolean succeeded, String runId, LayerCounts counts, Map<String, String> failedEndpoints) {}

  private final JdbcTarget target;
  private final PrintStream out;
  private final HttpClientConfiguration http;

  BandJob(JdbcTarget target, PrintStream out, HttpClientConfiguration http) {
    this.target = target;
    this.out = out;
    this.http = http;
  }

  /** The seed's processing modes as layers: bronze_only, silver_only, gold_only, complete. */
  static String layersForModeName(String modeName) {
    return switch (modeName.strip().toLowerCase(Locale.ROOT)) {
      case "bronze_only" -> "bronze";
      case "silver_only" -> "silver";
      case "gold_only" -> "gold";
      case "complete" -> "all";
      default -> throw new IllegalArgumentException("Unknown --mode-name '" + modeName
          + "': use bronze_only, silver_only, gold_only or complete");
    };
  }

  /** Checks every flag and the profile without touching data; throws a usage error naming the flag. */
  static BandOptions validate(Settings settings) {
    List<String> problems = new ArrayList<>();
    try {
      Layer.parse(settings.layers(), new BandPipeline().layerSet());
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    try {
      ElGooseEndpoint.parseList(settings.endpoints());
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage() + " (--endpoints)");
    }
    try {
      ApiSource.of(ElGooseConnector.create()).withBaseUrl(settings.baseUrl());
    } catch (IllegalArgumentException e) {
      problems.add("--elgoose-base-url: " + e.getMessage());
    }
    if (settings.recordLimit() != null && settings.recordLimit() < 1) {
      problems.add("--record-limit must be a positive number, got " + settings.recordLimit());
    }
    BandOptions options = null;
    try {
      options = JobSupport.options(settings.profile(), settings.beamArgs(), BandOptions.class);
    } catch (IOException | IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw CliException.usage(String.join("\n", problems) + "\nSee: medallion run band --help", null);
    }
    return options;
  }

  Outcome run(Settings settings) {
    BandOptions options = validate(settings);
    Set<Layer> layers = Layer.parse(settings.layers(), new BandPipeline().layerSet());
    String runId = RunRecorder.newRunId("band");
    options.setLayers(settings.layers());
    options.setMode(settings.mode());
    options.setEndpoints(settings.endpoints());
    options.setElgooseBaseUrl(settings.baseUrl());
    options.setRecordLimit(settings.recordLimit());
    options.setRunId(runId);
    options.setJdbcUrl(target.url());
    options.setJdbcUser(target.user());
    options.setJobName(runId.toLowerCase(Locale.ROOT));
    LocalDate watermark = settings.mode() == Mode.INCREMENTAL && layers.contains(Layer.BRONZE) ? newestSetlistDate() : null;
    options.setSetlistsAfter(watermark == null ? null : watermark.toString());

    RunRecorder recorder = new RunRecorder(target);
    String runner = options.getRunner().getSimpleName();
    recorder.started(runId, "band", settings.mode(), layers, runner, false);
    out.printf("Run %s: band pipeline, layers %s, mode %s, on %s%n", runId, settings.layers(),
        settings.mode().name().toLowerCase(Locale.ROOT), runner);
    if (layers.contains(Layer.BRONZE)) {
      out.printf("  source %s (%s), %s -> %s%n", redactedHost(settings.baseUrl()), settings.endpoints(),
          watermark == null ? "every show's setlist" : "setlists of shows after " + watermark, target);
    }

    Pipeline pipeline = Pipeline.create(options);
    new BandPipeline().build(pipeline, options, new dev.medallion.platform.RunContext("band", runId, target, layers,
        settings.mode(), http));
    JobSupport.Ended ended = JobSupport.run(pipeline, "band", layers, out);
    String error = ended.error();
    LayerCounts counts = ended.result() == null ? null : LayerCounts.of(ended.result());
    Map<String, String> failedEndpoints = counts == null ? Map.of() : failedEndpoints(runId, counts);
    if (error == null && !failedEndpoints.isEmpty()) {
      error = "endpoint(s) failed: " + String.join(", ", failedEndpoints.keySet());
    }
    boolean succeeded = error == null;
    recorder.finished(runId, succeeded ? dev.medallion.ops.RunStatus.SUCCEEDED : dev.medallion.ops.RunStatus.FAILED, counts == null ? java.util.Map.of() : counts.stats(layers), error);
    if (counts != null) {
      recordTables(recorder, runId, layers, settings, counts, failedEndpoints, ended.error());
      JobSupport.printCounts(out, layers, counts);
    }
    if (!failedEndpoints.isEmpty()) {
      out.println();
      out.println("Failed endpoints (the others were read and processed):");
      failedEndpoints.forEach((endpoint, reason) -> out.println("  " + endpoint + ": " + reason));
    }
    long quarantined = counts == null ? 0 : counts.layer(Layer.BRONZE).quarantined() + counts.layer(Layer.SILVER).quarantined();
    if (quarantined > 0) {
      out.println(quarantined + " request(s) or row(s) quarantined with their reasons: SELECT * FROM " + "silver.band_quarantine" + ";");
    }
    if (!succeeded) {
      out.println();
      out.println("The band run failed: " + error);
      out.println("Fix the cause and run the same command again: re-runs neither lose nor duplicate rows."
          + " The run is recorded in ops.pipeline_runs as " + runId + ".");
    }
    return new Outcome(succeeded, runId, counts, failedEndpoints);
  }

  /** The newest show date with setlist rows in silver: incremental runs read setlists after it. */
  LocalDate newestSetlistDate() {
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT max(show_date) FROM silver.band_setlist_entries");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getObject(1, LocalDate.class) : null;
    } catch (SQLException e) {
      throw new CliException("Cannot read the newest show date in silver at " + target + ": " + e.getMessage(), e);
    }
  }

  /** Endpoints with failed requests in this run, each with its first reason from the quarantine. */
  private Map<String, String> failedEndpoints(String runId, LayerCounts counts) {
    Map<String, String> failed = new TreeMap<>();
    if (counts.get(dev.medallion.core.LayerMetrics.RunMetric.REQUESTS_FAILED) == 0) {
      return failed;
    }
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT source, reason FROM silver.band_quarantine"
            + " WHERE run_id = ? AND step = 'bronze' AND record_index = -1 ORDER BY source")) {
      ps.setString(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          failed.putIfAbsent(rs.getString(1).split(" ", 2)[0], rs.getString(2));
        }
      }
    } catch (SQLException e) {
      throw new CliException("Cannot read the failed requests from " + "silver.band_quarantine" + ": " + e.getMessage(), e);
    }
    return failed;
  }

  private void recordTables(RunRecorder recorder, String runId, Set<Layer> layers, Settings settings, LayerCounts counts,
      Map<String, String> failedEndpoints, String pipelineError) {
    boolean ran = pipelineError == null;
    if (layers.contains(Layer.BRONZE)) {
      for (ElGooseEndpoint endpoint : ElGooseEndpoint.parseList(settings.endpoints())) {
        String failure = failedEndpoints.get(endpoint.method());
        recorder.tableStatus(runId, BandTables.BRONZE + "[" + endpoint.method() + "]", Layer.BRONZE,
            counts.get("bronze_rows", endpoint.method()), ran && failure == null, ran ? failure : pipelineError);
      }
    }
    Map<String, Layer> tables = new LinkedHashMap<>();
    if (layers.contains(Layer.SILVER)) {
      for (SilverTable table : SilverTable.values()) {
        tables.put(table.tableName(), Layer.SILVER);
      }
    }
    if (layers.contains(Layer.GOLD)) {
      for (BandGoldTable table : BandGoldTable.values()) {
        tables.put(table.spec().name(), Layer.GOLD);
      }
    }
    tables.forEach((table, layer) ->
        recorder.tableStatus(runId, table, layer, counts.get("tables", table), ran, pipelineError));
  }

  /** The base URL without any user info, for the terminal. */
  private static String redactedHost(String baseUrl) {
    URI uri = URI.create(baseUrl);
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getPath();
  }
}
