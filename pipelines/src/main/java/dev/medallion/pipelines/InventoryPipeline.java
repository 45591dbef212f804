package dev.medallion.pipelines;

import dev.medallion.core.LayerCounts;
import dev.medallion.io.files.SettledFiles;
import dev.medallion.io.gdrive.DriveFile;
import dev.medallion.io.gdrive.GoogleDriveIO;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.http.ProcessEnvironment;
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
import dev.medallion.platform.UsageError;
import dev.medallion.transforms.inventory.FileKind;
import dev.medallion.transforms.inventory.FileTask;
import dev.medallion.transforms.inventory.InventoryConfig;
import dev.medallion.transforms.inventory.InventorySnapshots;
import dev.medallion.transforms.inventory.InventoryTables;
import dev.medallion.transforms.inventory.PublishSnapshots;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import javax.annotation.Nullable;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Requirements;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.Watch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the two inventory pipelines share: planning a run from the folder (or, for a retry, from
 * ops.file_jobs), recording every file in ops.file_jobs, and the Beam graph {@link
 * InventorySnapshots}. The subclasses name their files, tables and snapshot.
 */
abstract class InventoryPipeline implements PipelineDefinition<InventoryOptions> {
  /** The files and dates a run takes, worked out in {@link #prepare}. */
  record Plan(
      List<FileTask> files,
      List<String> dates,
      List<String> owedDates,
      LocalDate businessDate,
      @Nullable GoogleDriveIO.Zone drive) {}

  private static final Logger LOG = LoggerFactory.getLogger(InventoryPipeline.class);
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

  /** --continuous: an unbounded pipeline polling the source ({@link #buildContinuous}). */
  @Override
  public boolean supportsContinuous() {
    return true;
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
        problems.add(
            "--source is empty: name the folder holding the workbooks, or gdrive://FOLDER_ID");
      } else if (GoogleDriveIO.isDriveLocation(options.getSource())) {
        try {
          GoogleDriveIO.fromEnvironment(
              options.getSource(), ProcessEnvironment.source(), options.getAllowInsecureHttp());
        } catch (IllegalArgumentException e) {
          problems.add(e.getMessage());
        }
      } else if (!Files.isDirectory(Path.of(options.getSource()))) {
        problems.add("--source " + options.getSource() + ": no such folder");
      }
    }
    if (continuous && retry) {
      problems.add("--continuous and --retry-failed: retry failed files with 'medallion retry'");
    }
    if (!continuous && options.getMaxPolls() != null && options.getMaxPolls() != 0) {
      problems.add("--max-polls only applies with --continuous");
    }
    if (options.getMaxPolls() != null && options.getMaxPolls() < 0) {
      problems.add("--max-polls " + options.getMaxPolls() + ": give 1 or more (0: until stopped)");
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
    InventoryConfig.Settings settings = settings(options);
    FileJobs jobs = new FileJobs(context.target());
    LocalDate only = date(options);
    List<FileTask> tasks = new ArrayList<>();
    Set<LocalDate> dates = new TreeSet<>();
    GoogleDriveIO.Zone drive = null;
    if (only != null) {
      dates.add(only);
    }
    if (Boolean.TRUE.equals(options.getRetryFailed())) {
      for (FileJobs.Job failed : jobs.latestFailed(name(), only)) {
        int attempt = failed.retryCount() + 1;
        FileKind kind = FileKind.parse(failed.fileKind());
        String shown = Path.of(failed.filePath()).getFileName().toString();
        if (attempt > settings.retryAttempts()) {
          System.out.printf(
              "  not retried: %s failed %d times (%s.retry_attempts = %d)%n",
              shown, attempt, name(), settings.retryAttempts());
          continue;
        }
        DriveFile current = null;
        String checksum;
        String gone = null;
        if (failed.driveFileId() != null) {
          // A Drive file is downloaded again by its id, in whatever version the folder holds now
          // (the user replaced its content, or uploaded a corrected copy over it).
          if (drive == null) {
            drive = driveZone(folderOf(failed.filePath()), options, context);
          }
          try {
            current = drive.file(failed.driveFileId());
          } catch (HttpFailure e) {
            gone =
                e.status() == 404
                    ? "the Drive file (id " + failed.driveFileId() + ") no longer exists"
                    : e.getMessage();
          } catch (IOException e) {
            gone = "Drive file id " + failed.driveFileId() + ": " + e.getMessage();
          }
          checksum = current == null ? null : current.md5Checksum();
        } else {
          Path file = Path.of(failed.filePath());
          gone = Files.isRegularFile(file) ? null : "the file no longer exists";
          checksum = gone == null ? InventoryFilePlanner.checksum(file) : null;
        }
        if (gone != null) {
          jobs.add(
              context.runId(),
              name(),
              failed.filePath(),
              kind.label(),
              failed.businessDate(),
              failed.storeId(),
              FileJobs.FAILED,
              attempt,
              gone,
              null,
              failed.driveFileId(),
              failed.sourceVersion());
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
                checksum,
                failed.driveFileId(),
                current == null
                    ? InventoryFilePlanner.localVersion(Path.of(failed.filePath()))
                    : current.versionKey());
        tasks.add(
            new FileTask(
                id, kind, failed.filePath(), failed.businessDate(), failed.storeId(), current));
        dates.addAll(
            InventoryFilePlanner.datesFed(context.target(), kind, failed.businessDate(), only));
      }
    } else {
      drive =
          GoogleDriveIO.isDriveLocation(options.getSource())
              ? driveZone(options.getSource(), options, context)
              : null;
      InventoryFilePlanner.Planned planned =
          planner(options, context, drive, false).plan(options.getBusinessDate() != null);
      tasks.addAll(planned.files());
      dates.addAll(planned.dates());
    }
    plans.put(
        context.runId(),
        new Plan(
            tasks,
            dates.stream().map(LocalDate::toString).toList(),
            owedDates(context, only),
            only,
            drive));
  }

  /**
   * The dates an earlier run left owing a rewrite: it read a file into silver and died before the
   * date was rewritten. This run rewrites them first.
   */
  private List<String> owedDates(RunContext context, @Nullable LocalDate only) {
    try (Connection c = ConnectionPool.forTarget(context.target()).getConnection()) {
      List<String> owed =
          InventoryTables.dirtyDates(c, name(), only).stream().map(LocalDate::toString).toList();
      if (!owed.isEmpty()) {
        System.out.printf(
            "  rewriting first the snapshot(s) an earlier run read files for and did not rewrite:"
                + " %s%n",
            String.join(", ", owed));
      }
      return owed;
    } catch (SQLException e) {
      throw new RunFailure("reading ops.snapshot_dates: " + e.getMessage());
    }
  }

  /** gdrive://FOLDER_ID of a landed Drive path gdrive://FOLDER_ID/NAME. */
  static String folderOf(String drivePath) {
    String rest = drivePath.substring(GoogleDriveIO.SCHEME.length());
    int slash = rest.indexOf('/');
    return GoogleDriveIO.SCHEME + (slash < 0 ? rest : rest.substring(0, slash));
  }

  /**
   * The Drive folder a --source gdrive://FOLDER_ID names, with the credentials from the environment
   * (README "Google Drive landing zone") and the run's HTTP settings.
   */
  static GoogleDriveIO.Zone driveZone(String source, InventoryOptions options, RunContext context) {
    return driveZone(source, options, context.http());
  }

  static GoogleDriveIO.Zone driveZone(
      String source, InventoryOptions options, HttpClientConfiguration http) {
    try {
      return GoogleDriveIO.fromEnvironment(
              source, ProcessEnvironment.source(), options.getAllowInsecureHttp())
          .withSheets(options.getDriveSheets())
          .withHttpClientConfiguration(http);
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
  }

  /** The planner of this run's files, from its flags. */
  private InventoryFilePlanner planner(
      InventoryOptions options,
      RunContext context,
      @Nullable GoogleDriveIO.Zone drive,
      boolean onlyNew) {
    return new InventoryFilePlanner(
        name(),
        kinds(),
        options.getConfig(),
        options.getSource(),
        drive,
        date(options),
        onlyNew,
        onlyNew ? SettledFiles.settleMillis(options.getPollIntervalSeconds() * 1000L) : 0L,
        !Boolean.FALSE.equals(options.getRecordUnrouted()),
        context.target(),
        context.runId());
  }

  /** A continuous run plans nothing up front: each poll of {@link #buildContinuous} does. */
  @Override
  public void prepareContinuous(InventoryOptions options, RunContext context) {
    GoogleDriveIO.Zone drive =
        GoogleDriveIO.isDriveLocation(options.getSource())
            ? driveZone(options.getSource(), options, context)
            : null;
    plans.put(
        context.runId(),
        new Plan(List.of(), List.of(), owedDates(context, date(options)), date(options), drive));
  }

  @Override
  public void build(Pipeline pipeline, InventoryOptions options, RunContext context) {
    Plan plan = planOf(context);
    pipeline
        .apply(
            "PlannedFiles", Create.of(plan.files()).withCoder(SerializableCoder.of(FileTask.class)))
        .apply("InventorySnapshots", snapshots(options, context, plan));
  }

  /**
   * The continuous pipeline: the source polled every --poll-interval (Beam's Watch; each poll
   * records the new files and versions in ops.file_jobs and emits them), then the same transforms
   * as a batch run, so every date's snapshot is rewritten as its files arrive: after batch_size
   * files, batch_bytes or flush_interval (the config's), and once more when the watch ends
   * (--max-polls).
   *
   * <pre>
   * source -> PollForNewFiles (every poll-interval, until --max-polls) -> InventorySnapshots
   * </pre>
   */
  @Override
  public void buildContinuous(Pipeline pipeline, InventoryOptions options, RunContext context) {
    Plan plan = planOf(context);
    InventoryFilePlanner planner = planner(options, context, plan.drive(), true);
    int maxPolls = options.getMaxPolls() == null ? 0 : options.getMaxPolls();
    pipeline
        .apply("Source", Create.of(describeSource(options)))
        .apply(
            "PollForNewFiles",
            Watch.growthOf(
                    Contextful.of(new PollForNewFiles(planner), Requirements.empty()),
                    FileTask::jobId)
                .withOutputCoder(SerializableCoder.of(FileTask.class))
                .withOutputKeyCoder(VarLongCoder.of())
                .withPollInterval(
                    org.joda.time.Duration.standardSeconds(options.getPollIntervalSeconds()))
                .withTerminationPerInput(
                    maxPolls > 0 ? new AfterPolls<>(maxPolls) : Watch.Growth.never()))
        .apply("NewFiles", Values.create())
        .apply("InventorySnapshots", snapshots(options, context, plan));
  }

  private Plan planOf(RunContext context) {
    Plan plan = plans.get(context.runId());
    if (plan == null) {
      throw new IllegalStateException("build() before prepare() for run " + context.runId());
    }
    return plan;
  }

  private InventorySnapshots snapshots(InventoryOptions options, RunContext context, Plan plan) {
    return new InventorySnapshots(
        context.target(),
        name(),
        context.runId(),
        settings(options),
        snapshot(),
        plan.businessDate(),
        context.runs(Layer.SILVER),
        context.runs(Layer.GOLD),
        wholeDates(context, plan),
        plan.drive());
  }

  /** A gold-only run's planned dates, and the dates owed a rewrite. */
  private static List<String> wholeDates(RunContext context, Plan plan) {
    Set<String> whole = new TreeSet<>(plan.owedDates());
    if (!context.runs(Layer.SILVER)) {
      whole.addAll(plan.dates());
    }
    return List.copyOf(whole);
  }

  /** One poll: the files new since the last (recorded as queued in ops.file_jobs). */
  static final class PollForNewFiles extends Watch.Growth.PollFn<String, FileTask> {
    private static final long serialVersionUID = 1L;
    private final InventoryFilePlanner planner;

    PollForNewFiles(InventoryFilePlanner planner) {
      this.planner = planner;
    }

    @Override
    public Watch.Growth.PollResult<FileTask> apply(String source, Context c) {
      List<FileTask> files = planner.plan(false).files();
      if (!files.isEmpty()) {
        LOG.info("{}: {} new or changed file(s)", source, files.size());
      }
      return Watch.Growth.PollResult.incomplete(org.joda.time.Instant.now(), files);
    }
  }

  /** Ends a watch after so many polls (--max-polls), so a continuous run can end by itself. */
  static final class AfterPolls<InputT>
      implements Watch.Growth.TerminationCondition<InputT, Integer> {
    private static final long serialVersionUID = 1L;
    private final int maxPolls;

    AfterPolls(int maxPolls) {
      this.maxPolls = maxPolls;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Integer> getStateCoder() {
      return VarIntCoder.of();
    }

    @Override
    public Integer forNewInput(org.joda.time.Instant now, InputT input) {
      return 0;
    }

    @Override
    public Integer onPollComplete(Integer polls) {
      return polls + 1;
    }

    @Override
    public boolean canStopPolling(org.joda.time.Instant now, Integer polls) {
      return polls >= maxPolls;
    }

    @Override
    public String toString(Integer polls) {
      return polls + " of " + maxPolls + " polls";
    }
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
