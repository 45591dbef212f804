package dev.medallion.pipelines;

import dev.medallion.core.LayerCounts;
import dev.medallion.ops.FileJobs;
import dev.medallion.ops.Layer;
import dev.medallion.ops.Mode;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.platform.LayerTables;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.RunContext;
import dev.medallion.platform.RunFailure;
import dev.medallion.platform.SourceKind;
import dev.medallion.platform.TablePrinter;
import dev.medallion.transforms.inventory.FileKind;
import dev.medallion.transforms.inventory.FileTask;
import dev.medallion.transforms.inventory.InventoryConfig;
import dev.medallion.transforms.inventory.InventorySnapshots;
import dev.medallion.transforms.inventory.PublishSnapshots;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;

/**
 * What the two inventory pipelines share: planning a run from the folder (or, for a retry, from
 * ops.file_jobs), recording every file in ops.file_jobs, and the Beam graph {@link
 * InventorySnapshots}. The subclasses name their files, tables and snapshot.
 */
abstract class InventoryPipeline implements PipelineDefinition<InventoryOptions> {
  /** The files and dates a run takes, worked out in {@link #prepare}. */
  record Plan(List<FileTask> files, List<String> dates, LocalDate businessDate) {}

  private final Map<String, Plan> plans = new ConcurrentHashMap<>();

  abstract Set<FileKind> kinds();

  abstract PublishSnapshots.Kind snapshot();

  /** The silver table holding the rows snapshots are built from (their dates). */
  abstract String datedSilverTable();

  @Override
  public SourceKind sourceKind() {
    return SourceKind.FILES;
  }

  @Override
  public Class<InventoryOptions> optionsType() {
    return InventoryOptions.class;
  }

  @Override
  public String schedule() {
    return "on demand (medallion run/process/retry)";
  }

  @Override
  public Set<Mode> modes() {
    return EnumSet.of(Mode.INCREMENTAL);
  }

  @Override
  public String describeSource(InventoryOptions options) {
    return Boolean.TRUE.equals(options.getRetryFailed())
        ? "the failed files in ops.file_jobs"
        : options.getSource();
  }

  @Override
  public List<String> problems(InventoryOptions options, boolean continuous) {
    List<String> problems = new ArrayList<>();
    boolean retry = Boolean.TRUE.equals(options.getRetryFailed());
    if (!retry) {
      if (options.getSource() == null || options.getSource().isBlank()) {
        problems.add("--source is empty: name the folder holding the workbooks");
      } else if (!Files.isDirectory(Path.of(options.getSource()))) {
        problems.add("--source " + options.getSource() + ": no such folder");
      }
    }
    if (options.getDate() != null && !options.getDate().isBlank()) {
      try {
        LocalDate day = LocalDate.parse(options.getDate().strip());
        if (options.getBusinessDate() != null
            && !options.getBusinessDate().strip().equals(day.toString())) {
          problems.add(
              "--date "
                  + day
                  + " and --businessDate "
                  + options.getBusinessDate()
                  + " differ: give one of them");
        }
      } catch (DateTimeParseException e) {
        problems.add("--date " + options.getDate() + " is not a date: give YYYY-MM-DD");
      }
    }
    try {
      InventoryConfig.load(options.getConfig());
    } catch (IllegalArgumentException e) {
      problems.add("--config: " + e.getMessage());
    }
    return problems;
  }

  /**
   * The run's business date: {@code --date}, or {@code --businessDate} (what {@code medallion
   * backfill} and a trigger's date_range pass); the two are the same setting.
   */
  static LocalDate date(InventoryOptions options) {
    if (options.getDate() != null && !options.getDate().isBlank()) {
      return LocalDate.parse(options.getDate().strip());
    }
    return options.getBusinessDate() == null || options.getBusinessDate().isBlank()
        ? null
        : LocalDate.parse(options.getBusinessDate().strip());
  }

  /** The files are named by date, so one business date is one run over that date's files. */
  @Override
  public boolean supportsBusinessDate() {
    return true;
  }

  @Override
  public String businessDate(InventoryOptions options) {
    LocalDate date = date(options);
    return date == null ? null : date.toString();
  }

  /** The gold table that has rows for every date with data (backfill --only-missing reads it). */
  abstract String datedGoldTable();

  @Override
  public java.util.Optional<String> businessDateRowsQuery() {
    return java.util.Optional.of(
        "SELECT count(*) FROM " + datedGoldTable() + " WHERE business_date = ?");
  }

  InventoryConfig.Settings settings(InventoryOptions options) {
    InventoryConfig.Settings s = InventoryConfig.load(options.getConfig()).settings(name());
    if (options.getOutputDir() != null && !options.getOutputDir().isBlank()) {
      s =
          new InventoryConfig.Settings(
              s.workerCount(),
              s.batchSize(),
              s.batchBytes(),
              s.flushInterval(),
              options.getOutputDir(),
              s.intermediateDir(),
              s.retryAttempts(),
              s.retryBackoff(),
              s.stockHealth(),
              s.dateFormat(),
              s.aliases());
    }
    return s;
  }

  @Override
  public void prepare(InventoryOptions options, RunContext context) {
    InventoryConfig config = InventoryConfig.load(options.getConfig());
    InventoryConfig.Settings settings = settings(options);
    FileJobs jobs = new FileJobs(context.target());
    LocalDate only = date(options);
    List<FileTask> tasks = new ArrayList<>();
    Set<LocalDate> dates = new TreeSet<>();
    if (only != null) {
      dates.add(only);
    }
    if (Boolean.TRUE.equals(options.getRetryFailed())) {
      for (FileJobs.Job failed : jobs.latestFailed(name(), only)) {
        Path file = Path.of(failed.filePath());
        int attempt = failed.retryCount() + 1;
        FileKind kind = FileKind.parse(failed.fileKind());
        if (attempt > settings.retryAttempts()) {
          System.out.printf(
              "  not retried: %s failed %d times (%s.retry_attempts = %d)%n",
              file.getFileName(), attempt, name(), settings.retryAttempts());
          continue;
        }
        if (!Files.isRegularFile(file)) {
          jobs.add(
              context.runId(),
              name(),
              failed.filePath(),
              kind.label(),
              failed.businessDate(),
              failed.storeId(),
              FileJobs.FAILED,
              attempt,
              "the file no longer exists",
              null);
          continue;
        }
        long id =
            jobs.add(
                context.runId(),
                name(),
                failed.filePath(),
                kind.label(),
                failed.businessDate(),
                failed.storeId(),
                FileJobs.QUEUED,
                attempt,
                null,
                checksum(file));
        tasks.add(
            new FileTask(id, kind, failed.filePath(), failed.businessDate(), failed.storeId()));
        dates.addAll(datesServed(context, kind, failed.businessDate(), only));
      }
    } else {
      List<Path> files;
      try (Stream<Path> listed = Files.list(Path.of(options.getSource()))) {
        files =
            listed
                .filter(Files::isRegularFile)
                .filter(p -> !p.getFileName().toString().startsWith("."))
                .sorted()
                .toList();
      } catch (IOException e) {
        throw new RunFailure("--source " + options.getSource() + " cannot be listed: " + e);
      }
      if (options.getBusinessDate() != null && !ownFileFor(config, files, only)) {
        // A backfilled date without its own workbook has nothing to snapshot: the run does not
        // start (and is not recorded), so the date stays missing until its file arrives.
        throw new RunFailure(
            "no "
                + String.join(
                    " or ",
                    kinds().stream()
                        .filter(k -> k != FileKind.SUPPLIERS)
                        .map(FileKind::label)
                        .toList())
                + " workbook for "
                + only
                + " in "
                + options.getSource()
                + ": nothing to process for that date");
      }
      LocalDate newestSupplier = null;
      if (only != null && kinds().contains(FileKind.SUPPLIERS)) {
        for (Path p : files) {
          InventoryConfig.Routed r =
              config.route(p.getFileName().toString(), new StringBuilder()).orElse(null);
          if (r != null
              && r.pipeline().equals(name())
              && r.kind() == FileKind.SUPPLIERS
              && !r.date().isAfter(only)
              && (newestSupplier == null || r.date().isAfter(newestSupplier))) {
            newestSupplier = r.date();
          }
        }
      }
      for (Path p : files) {
        StringBuilder why = new StringBuilder();
        InventoryConfig.Routed r = config.route(p.getFileName().toString(), why).orElse(null);
        String path = p.toAbsolutePath().normalize().toString();
        if (r == null) {
          jobs.add(
              context.runId(),
              name(),
              path,
              null,
              null,
              null,
              FileJobs.SKIPPED,
              0,
              why.toString(),
              null);
          continue;
        }
        if (!r.pipeline().equals(name()) || !kinds().contains(r.kind())) {
          continue; // another pipeline's file
        }
        if (only != null
            && (r.kind() == FileKind.SUPPLIERS
                ? !r.date().equals(newestSupplier)
                : !r.date().equals(only))) {
          continue; // not for this business date
        }
        long id =
            jobs.add(
                context.runId(),
                name(),
                path,
                r.kind().label(),
                r.date(),
                r.store(),
                FileJobs.QUEUED,
                0,
                null,
                checksum(p));
        tasks.add(new FileTask(id, r.kind(), path, r.date(), r.store()));
        dates.addAll(datesServed(context, r.kind(), r.date(), only));
      }
    }
    plans.put(
        context.runId(), new Plan(tasks, dates.stream().map(LocalDate::toString).toList(), only));
  }

  /**
   * Whether the folder has a workbook of this pipeline dated {@code day} (not a supplier master).
   */
  private boolean ownFileFor(InventoryConfig config, List<Path> files, LocalDate day) {
    for (Path p : files) {
      InventoryConfig.Routed r =
          config.route(p.getFileName().toString(), new StringBuilder()).orElse(null);
      if (r != null
          && r.pipeline().equals(name())
          && kinds().contains(r.kind())
          && r.kind() != FileKind.SUPPLIERS
          && r.date().equals(day)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The snapshot dates a file's rows feed: its own date; for a supplier master, also every date
   * silver already has stock for on or after it (it may be the newest master for them).
   */
  private List<LocalDate> datesServed(
      RunContext context, FileKind kind, LocalDate fileDate, LocalDate only) {
    if (kind != FileKind.SUPPLIERS) {
      return only == null || fileDate.equals(only) ? List.of(fileDate) : List.of();
    }
    List<LocalDate> out = new ArrayList<>();
    try (Connection c = ConnectionPool.forTarget(context.target()).getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT DISTINCT business_date FROM "
                    + datedSilverTable()
                    + " WHERE business_date >= ?")) {
      ps.setDate(1, Date.valueOf(fileDate));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          LocalDate d = rs.getDate(1).toLocalDate();
          if (only == null || d.equals(only)) {
            out.add(d);
          }
        }
      }
    } catch (SQLException e) {
      throw new RunFailure("reading " + datedSilverTable() + ": " + e.getMessage());
    }
    return out;
  }

  static String checksum(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[65536];
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        md.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void build(Pipeline pipeline, InventoryOptions options, RunContext context) {
    Plan plan = plans.get(context.runId());
    if (plan == null) {
      throw new IllegalStateException("build() before prepare() for run " + context.runId());
    }
    pipeline.apply(
        "InventorySnapshots",
        new InventorySnapshots(
            context.target(),
            name(),
            context.runId(),
            settings(options),
            snapshot(),
            plan.files(),
            plan.dates(),
            context.runs(Layer.SILVER),
            context.runs(Layer.GOLD)));
  }

  @Override
  public void printSummary(
      PrintStream out, InventoryOptions options, RunContext context, LayerCounts counts) {
    Plan plan = plans.remove(context.runId());
    FileJobs jobs = new FileJobs(context.target());
    jobs.recordTotals(context.runId(), plan == null ? null : plan.businessDate());
    List<FileJobs.Job> ran = jobs.ofRun(context.runId());
    out.println();
    List<String[]> rows = new ArrayList<>();
    for (FileJobs.Job j : ran) {
      rows.add(
          new String[] {
            Path.of(j.filePath()).getFileName().toString(),
            j.fileKind() == null ? "" : j.fileKind(),
            j.storeId() == null ? "" : j.storeId(),
            j.status(),
            String.valueOf(j.retryCount()),
            j.rows() == null ? "" : String.valueOf(j.rows()),
            j.quarantinedRows() == null ? "" : String.valueOf(j.quarantinedRows()),
            j.error() == null ? "" : j.error()
          });
    }
    TablePrinter.print(
        out,
        "Files (ops.file_jobs):",
        new String[] {"file", "kind", "store", "status", "retries", "rows", "bad rows", "error"},
        rows);
    if (plan != null && !plan.dates().isEmpty() && context.runs(Layer.GOLD)) {
      out.println(
          "Snapshots written for "
              + String.join(", ", plan.dates())
              + " -> "
              + settings(options).outputDir());
    }
    long failed = ran.stream().filter(j -> j.status().equals(FileJobs.FAILED)).count();
    if (failed > 0) {
      out.println(
          failed
              + " file(s) failed: fix or replace them, then run: medallion retry --pipeline "
              + name()
              + (plan != null && plan.businessDate() != null
                  ? " --date " + plan.businessDate()
                  : ""));
    }
  }

  static List<LayerTables> layersOf(List<String> silver, List<String> gold) {
    return List.of(
        LayerTables.of(Layer.SILVER, silver.toArray(String[]::new)),
        LayerTables.of(Layer.GOLD, gold.toArray(String[]::new)));
  }
}
