package dev.medallion.bench;

import dev.medallion.io.jdbc.CopyMergeWrite;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Runs the chosen suites on the same generated data and renders the report. */
public final class Bench {
  /**
   * What to run. {@code filesToStage} are the jars a standalone Flink cluster needs for the chain
   * (the product jar and the bench's own); empty when not running from jars.
   */
  public record Settings(
      long rows,
      Set<String> suites,
      long seed,
      int repeats,
      Path workFolder,
      String standaloneFlinkMaster,
      List<String> filesToStage,
      Duration runnerTimeLimit) {
    /** With the default time limit for each run of the whole pipeline. */
    public Settings(
        long rows,
        Set<String> suites,
        long seed,
        int repeats,
        Path workFolder,
        String standaloneFlinkMaster,
        List<String> filesToStage) {
      this(
          rows,
          suites,
          seed,
          repeats,
          workFolder,
          standaloneFlinkMaster,
          filesToStage,
          PipelineSuite.DEFAULT_TIME_LIMIT);
    }
  }

  /**
   * The report: {@link #body} (conditions, tables and targets, what the README's marked block
   * holds), what each write method left in its table and each whole-pipeline run in gold and
   * platinum (for the smoke test).
   */
  public record Report(
      String body, List<TableState> writeStates, List<PipelineSuite.Run> pipelineRuns) {
    /** The whole report as a markdown document. */
    public String markdown() {
      return "## Medallion benchmarks\n\n" + body;
    }
  }

  private static final double SINK_TARGET = 0.70;
  private static final double BATCH_TARGET = 0.90;

  private Bench() {}

  public static Report run(JdbcTarget target, Settings settings, PrintStream progress)
      throws Exception {
    StringBuilder md = new StringBuilder();
    md.append(conditions(target, settings)).append('\n');
    List<String> verdicts = new ArrayList<>();
    List<TableState> states = List.of();
    List<PipelineSuite.Run> pipelineRuns = List.of();
    Measurement seedWay = null;

    if (settings.suites().contains("write")) {
      WriteSuite write =
          new WriteSuite(target, settings.rows(), settings.seed(), settings.repeats(), progress);
      List<Measurement> results = write.run();
      states = write.states;
      md.append(
              MarkdownTable.render("write: PostgreSQL write ladder", results, WriteSuite.REFERENCE))
          .append('\n');
      md.append(
          "A method noted \"measured on N rows\" is row-at-a-time: it was timed on that slice and is"
              + " reported over all rows at the same rate. The REST stand-in is the seed's"
              + " `supabase.table(...).insert(row)` once per record: one HTTP POST on loopback, answered by one"
              + " autocommitted insert through `json_populate_record`, which is how PostgREST turns a JSON body"
              + " into a row. It has no network round trip, so it is the seed's best case.\n\n");
      Measurement copy = find(results, WriteSuite.REFERENCE);
      Measurement sink = find(results, WriteSuite.SINK);
      seedWay = find(results, WriteSuite.SEED_WAY);
      double ratio = sink.rowsPerSecond() / copy.rowsPerSecond();
      verdicts.add(
          verdict(
              ratio >= SINK_TARGET,
              String.format(
                  Locale.ROOT,
                  "bronze sink at %.0f%% of raw COPY rows/s (target 70%%)",
                  100 * ratio)));
      verdicts.add(
          verdict(
              results.stream().anyMatch(m -> m.note().equals("inserted 0 rows")),
              "a re-run of the bronze sink inserts nothing"));
      // A run smaller than one batch per writer cannot fill a batch; the full batch is then what
      // each writer holds.
      double fullBatch =
          Math.min(
              CopyMergeWrite.DEFAULT_BATCH_SIZE,
              (double) settings.rows() / CopyMergeWrite.DEFAULT_WRITERS);
      double batch = write.averageSinkBatch / fullBatch;
      verdicts.add(
          verdict(
              batch >= BATCH_TARGET,
              String.format(
                  Locale.ROOT,
                  "average batch sent %,.0f rows, %.0f%% of the configured %,d (target 90%%)",
                  write.averageSinkBatch,
                  100 * batch,
                  CopyMergeWrite.DEFAULT_BATCH_SIZE)));
      Measurement bestUpsert = find(results, WriteSuite.BEST_RAW_UPSERT + ", over existing rows");
      Measurement ourUpsert = find(results, WriteSuite.UPSERT_SINK + ", over existing rows");
      Measurement bestUpsertEmpty = find(results, WriteSuite.BEST_RAW_UPSERT + ", empty table");
      Measurement ourUpsertEmpty = find(results, WriteSuite.UPSERT_SINK + ", empty table");
      verdicts.add(
          verdict(
              ourUpsert.rowsPerSecond() >= 0.7 * bestUpsert.rowsPerSecond()
                  && ourUpsertEmpty.rowsPerSecond() >= 0.7 * bestUpsertEmpty.rowsPerSecond(),
              String.format(
                  Locale.ROOT,
                  "the silver-style upsert sink at %.0f%% (empty table) and %.0f%% (existing rows) of the best raw upsert (target 70%%);"
                      + " gold and platinum are a few rows per store and day and stay on JdbcIO",
                  100 * ourUpsertEmpty.rowsPerSecond() / bestUpsertEmpty.rowsPerSecond(),
                  100 * ourUpsert.rowsPerSecond() / bestUpsert.rowsPerSecond())));
      // The two row-at-a-time methods write only a slice when the run is large; every other method
      // writes all rows.
      List<TableState> complete =
          states.stream().filter(state -> state.rows() == settings.rows()).toList();
      boolean same =
          complete.stream().distinct().count() == 1 && complete.size() >= states.size() - 2;
      verdicts.add(verdict(same, "every write method left the same row count and checksum"));
    }
    if (settings.suites().contains("runners")) {
      List<Long> sizes = List.of(settings.rows() / 4, settings.rows() / 2, settings.rows());
      List<PipelineSuite.Run> runs =
          new PipelineSuite(
                  target, settings.seed(), settings.workFolder().resolve("pipeline"), progress)
              .withTimeLimit(settings.runnerTimeLimit())
              .withCluster(settings.standaloneFlinkMaster(), settings.filesToStage())
              .wholePipeline(sizes, settings.repeats());
      pipelineRuns = runs;
      WholePipelineReport whole =
          new WholePipelineReport(
              runs, settings.standaloneFlinkMaster(), settings.runnerTimeLimit());
      md.append(whole.table()).append('\n');
      verdicts.addAll(whole.verdicts(seedWay));
    }
    if (settings.suites().contains("parse")) {
      ChainSuite chain =
          new ChainSuite(settings.rows(), settings.seed(), settings.repeats(), progress);
      List<Measurement> parsing = new ArrayList<>(chain.parsing());
      Measurement bronze =
          new PipelineSuite(
                  target, settings.seed(), settings.workFolder().resolve("pipeline"), progress)
              .bronzeLayer(settings.rows(), settings.repeats());
      parsing.add(bronze);
      md.append(
          MarkdownTable.render(
              "parse: bytes to validated transactions, one core",
              parsing,
              "JSON files to validated transactions"));
      double parseSeconds = parsing.get(0).seconds() + parsing.get(1).seconds();
      md.append(
          String.format(
              Locale.ROOT,
              "%nParsing all %,d rows (JSON and CSV files) takes %.2f s on one core: %.0f%% of the"
                  + " bronze layer's %.2f s wall time for the same files (reading, splitting into records, checksums and the COPY into"
                  + " bronze, on 2 workers).%n%n",
              settings.rows(),
              parseSeconds,
              100 * parseSeconds / bronze.seconds(),
              bronze.seconds()));
    }
    if (settings.suites().contains("xlsx")) {
      Files.createDirectories(settings.workFolder());
      List<Measurement> results =
          new XlsxSuite(settings.rows(), settings.seed(), settings.workFolder(), progress).run();
      md.append(
              MarkdownTable.render(
                  "xlsx: inventory sheets under " + XlsxSuite.HEAP,
                  results,
                  results.get(0).method()))
          .append('\n');
      Measurement usermodel = results.get(0);
      Measurement small = results.get(1);
      Measurement large = results.get(2);
      verdicts.add(verdict(large.rows() > 0, "the large sheet was read under " + XlsxSuite.HEAP));
      verdicts.add(
          verdict(
              large.peakHeapBytes() <= 1.5 * small.peakHeapBytes(),
              String.format(
                  Locale.ROOT,
                  "peak heap %.0f MB on the large sheet vs %.0f MB on the small one (target at most 1.5x)",
                  large.peakHeapBytes() / 1048576.0,
                  small.peakHeapBytes() / 1048576.0)));
      verdicts.add(
          verdict(
              usermodel.rows() > 0 && small.rowsPerSecond() >= 3 * usermodel.rowsPerSecond(),
              usermodel.rows() == 0
                  ? "the usermodel could not read the small sheet at all"
                  : String.format(
                      Locale.ROOT,
                      "streaming reads %.1fx the usermodel's rows/s on the small sheet (target 3x); %s",
                      small.rowsPerSecond() / usermodel.rowsPerSecond(),
                      usermodel.note())));
    }
    md.append("### Targets\n\n");
    verdicts.forEach(v -> md.append("- ").append(v).append('\n'));
    return new Report(md.toString(), states, pipelineRuns);
  }

  static String verdict(boolean met, String what) {
    return (met ? "met: " : "MISSED: ") + what;
  }

  private static Measurement find(List<Measurement> results, String method) {
    return results.stream().filter(m -> m.method().equals(method)).findFirst().orElseThrow();
  }

  private static String conditions(JdbcTarget target, Settings settings) throws Exception {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Run %s: %,d rows, seed %d, median of %d timed runs after a warm-up.%n%n",
            Instant.now(),
            settings.rows(),
            settings.seed(),
            settings.repeats()));
    out.append("| condition | value |\n|---|---|\n");
    out.append("| cores | ").append(Runtime.getRuntime().availableProcessors()).append(" |\n");
    out.append("| JVM | ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.version"))
        .append(", max heap ")
        .append(Runtime.getRuntime().maxMemory() / 1048576)
        .append(" MB |\n");
    out.append("| pgjdbc | ").append(org.postgresql.util.DriverInfo.DRIVER_VERSION).append(" |\n");
    if (settings.suites().contains("runners")) {
      for (String profile : List.of("direct", "flink-local")) {
        out.append("| runner profile ")
            .append(profile)
            .append(" | ")
            .append(PipelineSuite.describeProfile(profile))
            .append(" |\n");
      }
      if (settings.standaloneFlinkMaster() != null) {
        out.append("| runner profile flink-cluster | ")
            .append(PipelineSuite.describeProfile("flink-cluster"))
            .append(", flinkMaster=")
            .append(settings.standaloneFlinkMaster())
            .append(" |\n");
      }
      out.append("| time limit per whole-pipeline run | ")
          .append(settings.runnerTimeLimit().toMinutes())
          .append(" min |\n");
    }
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT version()")) {
        rs.next();
        out.append("| PostgreSQL | ").append(rs.getString(1)).append(" |\n");
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name)"
                  + " FROM pg_settings WHERE name IN ('shared_buffers', 'fsync', 'synchronous_commit', 'max_wal_size', 'wal_level', 'work_mem')")) {
        rs.next();
        out.append("| PostgreSQL settings | ").append(rs.getString(1)).append(" |\n");
      }
    }
    return out.toString();
  }
}
