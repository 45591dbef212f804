package dev.medallion.bench;

import dev.medallion.core.LayerCounts;
import dev.medallion.io.files.LandedFile;
import dev.medallion.io.files.ParsedFile;
import dev.medallion.io.files.RecordReaders;
import dev.medallion.transforms.edge.BronzeRecord;
import dev.medallion.transforms.edge.EdgeSchema;
import dev.medallion.transforms.edge.EdgeTransaction;
import dev.medallion.transforms.edge.EdgeTransactionParser;
import dev.medallion.transforms.edge.KeepFirstTransaction;
import dev.medallion.transforms.edge.ParseEdgeTransactions;
import dev.medallion.transforms.edge.StoreDayAggregator;
import dev.medallion.transforms.edge.SummarizeStoreDays;
import dev.medallion.transforms.ingest.SplitFiles;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The edge chain (parse, validate, dedupe, daily aggregate) without a database: as a plain
 * single-threaded Java loop (the 1.0 reference) and as the project's transforms on each runner.
 * Also parsing alone, in MB/s per core.
 */
final class ChainSuite {
  static final String LOOP = "plain Java loop, one thread";
  static final long DIRECT_ROWS = 20_000;
  private final long rows;
  private final long seed;
  private final int repeats;
  private final PrintStream progress;

  ChainSuite(long rows, long seed, int repeats, PrintStream progress) {
    this.rows = rows;
    this.seed = seed;
    this.repeats = repeats;
    this.progress = progress;
  }

  double megabytes() {
    long bytes = 0;
    for (long f = 0; f < EdgeFiles.fileCount(rows); f++) {
      bytes += EdgeFiles.content(f, rows, seed).length;
    }
    return bytes / 1048576.0;
  }

  List<Measurement> runners(String standaloneFlinkMaster, List<String> filesToStage)
      throws Exception {
    double mb = megabytes();
    List<LandedFile> files = new ArrayList<>();
    for (long f = 0; f < EdgeFiles.fileCount(rows); f++) {
      files.add(EdgeFiles.landed(f, rows, seed));
    }
    List<Measurement> results = new ArrayList<>();
    long[] summaries = new long[1];
    progress.println("  runners: plain Java loop ...");
    results.add(
        Measurement.of(
            LOOP,
            mb,
            repeats,
            () -> 0,
            () -> {
              summaries[0] = plainLoop(files);
              return rows;
            },
            ""));
    long expected = summaries[0];
    // DirectRunner's per-key watermark bookkeeping grows faster than linearly with distinct keys
    // (the
    // dedupe keys by transaction id): past a few tens of thousands of rows a run takes many
    // minutes.
    ChainSuite direct =
        rows <= DIRECT_ROWS ? this : new ChainSuite(DIRECT_ROWS, seed, repeats, progress);
    String slice =
        rows <= DIRECT_ROWS
            ? ""
            : String.format(java.util.Locale.ROOT, "measured on %,d rows", DIRECT_ROWS);
    results.add(
        direct.withNote(
            direct.onRunner(
                "DirectRunner, default enforcement",
                direct.megabytes(),
                direct(true),
                direct.expectedSummaries()),
            slice));
    results.add(
        direct.withNote(
            direct.onRunner(
                "DirectRunner, --enforceImmutability=false --enforceEncodability=false --targetParallelism=2",
                direct.megabytes(),
                direct(false),
                direct.expectedSummaries()),
            slice));
    results.add(
        onRunner(
            "FlinkRunner embedded ([local]), whole run",
            mb,
            flink("[local]", List.of()),
            expected));
    Measurement startup =
        timeEmptyPipeline(
            "FlinkRunner embedded, startup alone (empty pipeline)", flink("[local]", List.of()));
    results.add(startup);
    if (standaloneFlinkMaster != null) {
      results.add(
          onRunner(
              "FlinkRunner on the standalone cluster at " + standaloneFlinkMaster,
              mb,
              flink(standaloneFlinkMaster, filesToStage),
              expected));
    }
    return results;
  }

  private long expectedSummaries() throws Exception {
    List<LandedFile> files = new ArrayList<>();
    for (long f = 0; f < EdgeFiles.fileCount(rows); f++) {
      files.add(EdgeFiles.landed(f, rows, seed));
    }
    return plainLoop(files);
  }

  private Measurement withNote(Measurement m, String slice) {
    return m.withNote(
        slice.isEmpty() ? m.note() : (m.note().isEmpty() ? slice : slice + "; " + m.note()));
  }

  /** Parsing alone: JSON and CSV bytes to validated transactions, single-threaded. */
  List<Measurement> parsing() throws Exception {
    List<Measurement> results = new ArrayList<>();
    for (String kind : List.of("json", "csv")) {
      List<LandedFile> files = new ArrayList<>();
      long bytes = 0;
      for (long f = 0; f < EdgeFiles.fileCount(rows); f++) {
        if (EdgeFiles.name(f).endsWith(kind)) {
          LandedFile file = EdgeFiles.landed(f, rows, seed);
          files.add(file);
          bytes += file.sizeBytes();
        }
      }
      double mb = bytes / 1048576.0;
      progress.printf("  parse: %s ...%n", kind);
      results.add(
          Measurement.of(
              kind.toUpperCase() + " files to validated transactions",
              mb,
              repeats,
              () -> 0,
              () -> parseOnly(files),
              "MB/s on one core"));
    }
    return results;
  }

  static long parseOnly(List<LandedFile> files) throws Exception {
    long parsed = 0;
    for (LandedFile file : files) {
      ParsedFile records = RecordReaders.standard().read(file.name(), file.content());
      for (ParsedFile.Record record : records.records()) {
        EdgeTransactionParser.parse(
            BronzeRecord.create(
                "d",
                file.name(),
                file.path(),
                record.index(),
                record.json(),
                file.sizeBytes(),
                file.checksum(),
                file.landedAtMillis(),
                0L));
        parsed++;
      }
    }
    return parsed;
  }

  /** The reference: the same chain with the same plain classes, no Beam. Returns store-days. */
  static long plainLoop(List<LandedFile> files) throws Exception {
    Map<String, EdgeTransaction> unique = new HashMap<>();
    for (LandedFile file : files) {
      ParsedFile parsed = RecordReaders.standard().read(file.name(), file.content());
      for (ParsedFile.Record record : parsed.records()) {
        EdgeTransaction t =
            EdgeTransactionParser.parse(
                BronzeRecord.create(
                    "d",
                    file.name(),
                    file.path(),
                    record.index(),
                    record.json(),
                    file.sizeBytes(),
                    file.checksum(),
                    file.landedAtMillis(),
                    0L));
        unique.putIfAbsent(t.getTransactionId(), t);
      }
    }
    Map<String, StoreDayAggregator> days = new HashMap<>();
    for (EdgeTransaction t : unique.values()) {
      days.computeIfAbsent(
              t.getStoreId() + "|" + t.transactionDate(), k -> new StoreDayAggregator())
          .add(t);
    }
    Set<String> summarized = new HashSet<>();
    for (Map.Entry<String, StoreDayAggregator> day : days.entrySet()) {
      String[] key = day.getKey().split("\\|");
      day.getValue().summarize(key[0], LocalDate.parse(key[1]));
      summarized.add(day.getKey());
    }
    return summarized.size();
  }

  private Measurement onRunner(
      String method, double mb, PipelineOptions options, long expectedSummaries) throws Exception {
    progress.printf("  runners: %s ...%n", method);
    long[] summaries = new long[1];
    Measurement m =
        Measurement.of(
            method,
            mb,
            repeats,
            () -> 0,
            () -> {
              summaries[0] = runChain(options);
              return rows;
            },
            "");
    return m.withNote(
        summaries[0] == expectedSummaries
            ? ""
            : "WRONG: " + summaries[0] + " store-days, expected " + expectedSummaries);
  }

  long runChain(PipelineOptions options) {
    Pipeline pipeline = Pipeline.create(options);
    PCollection<LandedFile> files =
        pipeline
            .apply("FileIndexes", GenerateSequence.from(0).to(EdgeFiles.fileCount(rows)))
            .apply(
                "MakeFiles",
                MapElements.into(TypeDescriptor.of(LandedFile.class)).via(new FileOf(rows, seed)));
    SplitFiles<BronzeRecord> toBronze = SplitFiles.into(EdgeSchema.BRONZE_FILES, null);
    PCollection<EdgeTransaction> transactions =
        files
            .apply("ToBronze", toBronze)
            .get(toBronze.records())
            .apply("ParseEdgeTransactions", ParseEdgeTransactions.fromBronze())
            .get(ParseEdgeTransactions.TRANSACTIONS);
    PCollection<KV<String, KV<String, String>>> none =
        pipeline.apply(
            "NothingInSilver",
            Create.empty(
                KvCoder.of(
                    StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))));
    transactions
        .apply("KeepFirstTransaction", KeepFirstTransaction.against(none))
        .get(KeepFirstTransaction.UNIQUE)
        .apply("SummarizeStoreDays", SummarizeStoreDays.perStoreAndDay())
        .apply("CountSummaries", ParDo.of(new CountFn()));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    return LayerCounts.of(result).get("bench", "summaries");
  }

  private Measurement timeEmptyPipeline(String method, PipelineOptions options) throws Exception {
    return Measurement.of(
        method,
        0,
        repeats,
        () -> 0,
        () -> {
          Pipeline pipeline = Pipeline.create(options);
          pipeline.apply(Create.of(1L));
          pipeline.run().waitUntilFinish();
          return 0;
        },
        "fixed cost, included in the whole run above");
  }

  static PipelineOptions direct(boolean enforce) {
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    if (!enforce) {
      options.setEnforceImmutability(false);
      options.setEnforceEncodability(false);
      options.setTargetParallelism(2);
    }
    return options;
  }

  static PipelineOptions flink(String master, List<String> filesToStage) {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster(master);
    options.setParallelism(2);
    if (!filesToStage.isEmpty()) {
      options.setFilesToStage(filesToStage);
    }
    return options;
  }

  static final class FileOf
      implements org.apache.beam.sdk.transforms.SerializableFunction<Long, LandedFile> {
    private static final long serialVersionUID = 1L;
    private final long rows;
    private final long seed;

    FileOf(long rows, long seed) {
      this.rows = rows;
      this.seed = seed;
    }

    @Override
    public LandedFile apply(Long file) {
      return EdgeFiles.landed(file, rows, seed);
    }
  }

  static final class CountFn extends DoFn<Object, Void> {
    private static final long serialVersionUID = 1L;
    private final org.apache.beam.sdk.metrics.Counter summaries =
        Metrics.counter("bench", "summaries");

    @ProcessElement
    public void process() {
      summaries.inc();
    }
  }
}
