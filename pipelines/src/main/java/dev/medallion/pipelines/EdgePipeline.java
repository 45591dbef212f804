package dev.medallion.pipelines;

import dev.medallion.core.Counted;
import dev.medallion.core.LayerCounts;
import dev.medallion.core.LayerMetrics.RunMetric;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.io.files.FileLimits;
import dev.medallion.io.files.FileSystemLandingZone;
import dev.medallion.io.files.LandingZone;
import dev.medallion.io.http.PlainHttp;
import dev.medallion.io.jdbc.SinkRejects;
import dev.medallion.io.quarantine.WriteQuarantine;
import dev.medallion.io.supabase.SupabaseStorageIO;
import dev.medallion.ops.Layer;
import dev.medallion.ops.Mode;
import dev.medallion.ops.QuarantineEntry;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.quality.QualityCheck;
import dev.medallion.platform.LayerTables;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.RunContext;
import dev.medallion.platform.RunFailure;
import dev.medallion.platform.SourceKind;
import dev.medallion.platform.UsageError;
import dev.medallion.transforms.BronzeStatuses;
import dev.medallion.transforms.edge.BronzeRecord;
import dev.medallion.transforms.edge.ComputeStoreFeatures;
import dev.medallion.transforms.edge.ContinuousEdge;
import dev.medallion.transforms.edge.EdgeSchema;
import dev.medallion.transforms.edge.EdgeTransaction;
import dev.medallion.transforms.edge.KeepFirstTransaction;
import dev.medallion.transforms.edge.ParseEdgeTransactions;
import dev.medallion.transforms.edge.StoreDailySummary;
import dev.medallion.transforms.edge.SummarizeStoreDays;
import dev.medallion.transforms.ingest.BronzeFiles;
import dev.medallion.transforms.ingest.IngestFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The edge-device pipeline (src/docs/seeds/edge-device-medallion.md):
 *
 * <pre>
 * landing zone -> IngestFiles (skip files in the ledger, read by format) -> bronze.edge_raw -> ledger -> move
 *   bronze (pending) -> ParseEdgeTransactions -> KeepFirstTransaction -> silver.edge_transactions
 *     -> bronze rows silver holds marked processed (one statement); the ones set aside, quarantined
 *   silver (days changed since the last gold run) -> SummarizeStoreDays -> gold.store_daily_summary
 *   gold (90 days to as-of) -> ComputeStoreFeatures -> platinum.store_features
 *   every failure, and every row a table refused -> ops.quarantine (bronze's by IngestFiles,
 *     once per file before its ledger row)
 * </pre>
 *
 * Each layer reads its input from the table the layer before it wrote, once that write has
 * finished, so any subset of layers can run on its own.
 */
public final class EdgePipeline implements PipelineDefinition<EdgeOptions> {
  public static final String NAME = EdgeSchema.PIPELINE;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Edge-device files (JSON, JSON lines, CSV) from a landing prefix into bronze, silver, gold and platinum tables.";
  }

  @Override
  public SourceKind sourceKind() {
    return SourceKind.FILES;
  }

  @Override
  public List<LayerTables> layers() {
    return List.of(
        LayerTables.of(Layer.BRONZE, "bronze.edge_raw"),
        LayerTables.of(Layer.SILVER, "silver.edge_transactions"),
        LayerTables.of(Layer.GOLD, "gold.store_daily_summary"),
        LayerTables.of(Layer.PLATINUM, "platinum.store_features"));
  }

  @Override
  public Class<EdgeOptions> optionsType() {
    return EdgeOptions.class;
  }

  /**
   * The seed's three checks (edge-device-medallion.md, "Data Quality & Monitoring"), on this
   * project's tables: silver's freshness is its newest write ({@code updated_at}).
   */
  @Override
  public List<QualityCheck> qualityChecks() {
    return List.of(
        QualityCheck.none(
            "bronze_completeness",
            Layer.BRONZE,
            "bronze.edge_raw",
            "SELECT COUNT(*) FROM bronze.edge_raw WHERE raw_data IS NULL"),
        QualityCheck.holds(
            "silver_freshness",
            Layer.SILVER,
            "silver.edge_transactions",
            "SELECT MAX(updated_at) > NOW() - INTERVAL '1 hour' FROM silver.edge_transactions"),
        QualityCheck.none(
            "gold_accuracy",
            Layer.GOLD,
            "gold.store_daily_summary",
            "SELECT COUNT(*) FROM gold.store_daily_summary WHERE total_revenue < 0"));
  }

  @Override
  public String schedule() {
    return "every 15 minutes (.github/workflows/edge-pipeline.yml)";
  }

  @Override
  public boolean supportsContinuous() {
    return true;
  }

  @Override
  public Set<Layer> continuousLayers() {
    return java.util.EnumSet.of(Layer.BRONZE, Layer.SILVER, Layer.GOLD);
  }

  @Override
  public List<String> problems(EdgeOptions options, boolean continuous) {
    List<String> problems = new ArrayList<>();
    boolean readsFiles;
    try {
      readsFiles =
          continuous || Layer.parse(options.getLayers(), layerSet()).contains(Layer.BRONZE);
    } catch (IllegalArgumentException unknownLayer) {
      readsFiles = true; // the runner reports the layer
    }
    if (readsFiles && (options.getSource() == null || options.getSource().isBlank())) {
      problems.add(
          "--source is empty: name a folder, gs://bucket/prefix/ or supabase://BUCKET/PREFIX");
    } else if (readsFiles && !options.getSource().contains("://")) {
      java.nio.file.Path folder = java.nio.file.Paths.get(options.getSource());
      if (java.nio.file.Files.isRegularFile(folder)) {
        problems.add(
            "--source "
                + options.getSource()
                + " is a file: name the folder the files land in (or gs://bucket/prefix/,"
                + " supabase://BUCKET/PREFIX)");
      } else if (!java.nio.file.Files.isDirectory(folder)) {
        problems.add(
            "--source "
                + options.getSource()
                + ": no such folder: name the folder the files land in (or gs://bucket/prefix/,"
                + " supabase://BUCKET/PREFIX)");
      }
    }
    if (continuous) {
      if (options.getLayers() != null && !"all".equalsIgnoreCase(options.getLayers().strip())) {
        problems.add(
            "--continuous runs bronze, silver and gold together as files land: drop --layers"
                + " (run platinum on a schedule with --layers platinum)");
      }
      if (options.getMode() == Mode.FULL) {
        problems.add(
            "--continuous processes new files as they land: drop --mode full (a full rebuild is a scheduled run)");
      }
      if (SupabaseStorageIO.isSupabaseLocation(options.getSource())) {
        problems.add(
            "--continuous watches a folder or a gs:// prefix; for supabase:// sources schedule runs instead"
                + " (.github/workflows/edge-pipeline.yml)");
      }
    }
    return problems;
  }

  @Override
  public void prepare(EdgeOptions options, RunContext context) {
    if (context.runs(Layer.BRONZE)) {
      if (SupabaseStorageIO.isSupabaseLocation(options.getSource())) {
        try {
          PlainHttp.check(
              System.getenv("SUPABASE_URL"),
              options.getAllowInsecureHttp(),
              "--allow-insecure-http");
        } catch (IllegalArgumentException e) {
          throw new UsageError("SUPABASE_URL: " + e.getMessage());
        }
      }
      LandingZone zone = landingZone(options.getSource());
      try {
        zone.checkReadable();
      } catch (IOException | RuntimeException e) {
        throw new RunFailure(
            "Cannot read the source " + zone.describe() + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String describePlan(EdgeOptions options) {
    return "source "
        + options.getSource()
        + (options.getMoveProcessed()
            ? ", ingested files moved to processed/"
            : ", ingested files left in place");
  }

  @Override
  public String describeSource(EdgeOptions options) {
    return landingZone(options.getSource()).describe();
  }

  @Override
  public void build(Pipeline pipeline, EdgeOptions options, RunContext context) {
    build(pipeline, options, context, landingZone(options.getSource()));
  }

  @Override
  public void buildContinuous(Pipeline pipeline, EdgeOptions options, RunContext context) {
    buildContinuous(pipeline, options, context, landingZone(options.getSource()));
  }

  @Override
  public void printSummary(
      PrintStream out, EdgeOptions options, RunContext context, LayerCounts counts) {
    out.printf(
        "Files: %d read, %d already in bronze, %d moved, %d left in place%n",
        counts.get(RunMetric.FILES_READ),
        counts.get(RunMetric.FILES_ALREADY_INGESTED),
        counts.get(RunMetric.FILES_MOVED),
        counts.get(RunMetric.FILES_NOT_MOVED));
  }

  @Override
  public List<QuarantineEntry> requeue(
      Layer layer, List<QuarantineEntry> entries, EdgeOptions options, RunContext context) {
    return EdgeSchema.requeue(
        context.target(), () -> landingZone(options.getSource()), layer, entries);
  }

  /**
   * The landing zone a --source names: a folder, a Beam file system prefix, or a Supabase Storage
   * bucket.
   */
  static LandingZone landingZone(String source) {
    if (dev.medallion.io.gdrive.GoogleDriveIO.isDriveLocation(source)) {
      try {
        return dev.medallion.io.gdrive.GoogleDriveIO.fromEnvironment(source);
      } catch (IllegalArgumentException e) {
        throw new UsageError(e.getMessage());
      }
    }
    if (SupabaseStorageIO.isSupabaseLocation(source)) {
      String url = System.getenv("SUPABASE_URL");
      String key = System.getenv("SUPABASE_SERVICE_KEY");
      if (url == null || key == null) {
        throw new UsageError(
            "--source "
                + source
                + " needs the environment variables SUPABASE_URL and SUPABASE_SERVICE_KEY.");
      }
      return SupabaseStorageIO.landingZone()
          .withProjectUrl(url)
          .withServiceKey(key)
          .withLocation(source);
    }
    // Workers of a cluster do not share our working directory: hand them an absolute path.
    String location =
        source.contains("://")
            ? source
            : java.nio.file.Paths.get(source).toAbsolutePath().normalize().toString();
    return FileSystemLandingZone.at(location);
  }

  /**
   * Adds the chosen layers reading from {@code zone}; tests call this with a TestPipeline and a
   * zone of their own.
   */
  public static void build(
      Pipeline pipeline, EdgeOptions options, RunContext context, LandingZone zone) {
    Set<Layer> layers = context.layers();
    boolean full = context.full();
    String runId = context.runId();
    JdbcTarget target = context.target();
    List<PCollection<QuarantinedRecord>> failures = new ArrayList<>();
    List<PCollection<Void>> bronzeWritten = new ArrayList<>();
    List<PCollection<Void>> silverWritten = new ArrayList<>();
    List<PCollection<Void>> goldWritten = new ArrayList<>();
    PCollection<KV<String, String>> quarantinedStatuses = null;

    if (layers.contains(Layer.BRONZE)) {
      bronzeWritten.add(
          pipeline.apply(
              "IngestFiles",
              IngestFiles.from(zone, bronzeFiles(options), target, runId)
                  .withMoving(options.getMoveProcessed())));
    }

    if (layers.contains(Layer.SILVER)) {
      PCollection<KV<String, KV<String, String>>> existing =
          pipeline.apply("SilverKeys", EdgeSchema.silverKeys(target, bronzeWritten));
      PCollectionTuple parsed =
          pipeline
              .apply("ReadBronzeForSilver", EdgeSchema.readBronze(target, !full, bronzeWritten))
              .apply("ParseEdgeTransactions", ParseEdgeTransactions.fromBronze());
      failures.add(parsed.get(ParseEdgeTransactions.FAILURES));
      PCollectionTuple unique =
          parsed
              .get(ParseEdgeTransactions.TRANSACTIONS)
              .apply("KeepFirstTransaction", KeepFirstTransaction.against(existing));
      failures.add(unique.get(KeepFirstTransaction.DUPLICATES));
      PCollection<EdgeTransaction> silverRows = unique.get(KeepFirstTransaction.UNIQUE);
      PCollectionTuple silver = silverRows.apply("WriteSilver", EdgeSchema.writeSilver(target));
      silverWritten.add(silver.get(SinkRejects.WRITTEN));
      failures.add(silver.get(SinkRejects.REJECTED));
      quarantinedStatuses =
          PCollectionList.of(parsed.get(ParseEdgeTransactions.FAILURES))
              .and(unique.get(KeepFirstTransaction.DUPLICATES))
              .and(silver.get(SinkRejects.REJECTED))
              .apply("SilverFailures", Flatten.pCollections())
              .apply(
                  "QuarantinedStatus",
                  MapElements.into(kvStrings())
                      .via(q -> KV.of(q.getRecordKey(), BronzeStatuses.QUARANTINED)));
    }

    if (layers.contains(Layer.GOLD)) {
      PCollection<Long> days =
          pipeline.apply(
              "SilverDaysToSummarize",
              EdgeSchema.silverDays(target, context.runId(), !full, silverWritten));
      PCollection<StoreDailySummary> summaries =
          days.apply("ReadSilverDays", EdgeSchema.readSilverOnDays(target))
              .apply("CountGoldInput", Counted.in(Layer.GOLD))
              .apply("SummarizeStoreDays", SummarizeStoreDays.perStoreAndDay());
      PCollectionTuple gold = summaries.apply("WriteGold", EdgeSchema.writeGold(target));
      goldWritten.add(gold.get(SinkRejects.WRITTEN));
      failures.add(gold.get(SinkRejects.REJECTED));
    }

    if (layers.contains(Layer.PLATINUM)) {
      PCollectionTuple platinum =
          pipeline
              .apply(
                  "ReadGoldWindow",
                  EdgeSchema.readGoldWindow(target, MedallionOptions.asOf(options), goldWritten))
              .apply("CountPlatinumInput", Counted.in(Layer.PLATINUM))
              .apply(
                  "ComputeStoreFeatures", ComputeStoreFeatures.asOf(MedallionOptions.asOf(options)))
              .apply("WritePlatinum", EdgeSchema.writePlatinum(target));
      failures.add(platinum.get(SinkRejects.REJECTED));
    }

    if (failures.isEmpty()) {
      return;
    }
    PCollection<Void> quarantineWritten =
        PCollectionList.of(failures)
            .apply("AllFailures", Flatten.pCollections())
            .apply("WriteQuarantine", WriteQuarantine.of(target, EdgeSchema.PIPELINE, runId));

    if (quarantinedStatuses != null) {
      // The two sets are apart: a processed row is in silver, a quarantined one is not.
      pipeline.apply("MarkProcessed", EdgeSchema.markProcessedFromSilver(target, silverWritten));
      quarantinedStatuses
          .apply("AfterQuarantine", Wait.on(quarantineWritten))
          .apply("MarkQuarantined", EdgeSchema.markBronze(target));
    }
  }

  /**
   * The continuous (unbounded) edge pipeline: bronze, silver and gold as files land.
   *
   * <pre>
   * landing zone, watched -> IngestToBronze (per file: skip files in the ledger | bronze, quarantine, ledger) -> move
   *   pending bronze rows (of each file, and once at start) -> ToSilver (per record: first id wins, mark bronze)
   *   (store, day) per sale -> windowed by day, early and late firings -> recompute from silver -> gold
   * </pre>
   *
   * Platinum stays a scheduled batch layer: {@code --layers platinum}.
   */
  public static void buildContinuous(
      Pipeline pipeline, EdgeOptions options, RunContext context, LandingZone zone) {
    String runId = context.runId();
    JdbcTarget target = context.target();
    PCollection<BronzeRecord> fromFiles =
        pipeline
            .apply(
                "WatchLandingZone",
                zone.watch(
                    org.joda.time.Duration.standardSeconds(options.getPollIntervalSeconds())))
            .apply(
                "IngestToBronze",
                ContinuousEdge.ingestToBronze(
                    target, zone, bronzeFiles(options), runId, options.getMoveProcessed()));
    PCollection<BronzeRecord> pendingAtStart =
        pipeline.apply("PendingBronzeAtStart", EdgeSchema.readBronze(target, true, List.of()));
    PCollectionList.of(fromFiles)
        .and(pendingAtStart)
        .apply("AllPendingBronze", Flatten.pCollections())
        .apply("ToSilver", ContinuousEdge.toSilver(target, runId))
        .apply(
            "RecomputeGold",
            ContinuousEdge.recomputeGold(
                target,
                org.joda.time.Duration.standardSeconds(options.getGoldUpdateDelaySeconds()),
                org.joda.time.Duration.standardDays(options.getAllowedLatenessDays())));
  }

  /** The edge bronze files with the run's size limits; a limit out of range is a usage error. */
  static BronzeFiles<BronzeRecord> bronzeFiles(EdgeOptions options) {
    try {
      return EdgeSchema.BRONZE_FILES.withLimits(
          FileLimits.defaults()
              .withMaxFileBytes(options.getMaxFileBytes())
              .withMaxRecordBytes(options.getMaxRecordBytes()));
    } catch (IllegalArgumentException e) {
      throw new UsageError("--max-file-bytes / --max-record-bytes: " + e.getMessage());
    }
  }

  private static TypeDescriptor<KV<String, String>> kvStrings() {
    return TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings());
  }
}
