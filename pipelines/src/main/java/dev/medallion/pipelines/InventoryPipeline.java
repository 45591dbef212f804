package dev.medallion.pipelines;

import dev.medallion.core.LayerCounts;
import dev.medallion.io.gdrive.DriveFile;
import dev.medallion.io.gdrive.GoogleDriveIO;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.http.ProcessEnvironment;
import dev.medallion.io.http.Sleeper;
import dev.medallion.ops.FileJobs;
import dev.medallion.ops.Layer;
import dev.medallion.ops.Mode;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.platform.JobRunner;
import dev.medallion.platform.LayerTables;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.PollsInBatches;
import dev.medallion.platform.RunContext;
import dev.medallion.platform.RunFailure;
import dev.medallion.platform.SourceKind;
import dev.medallion.platform.TablePrinter;
import dev.medallion.platform.UsageError;
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
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.annotation.Nullable;
import org.apache.beam.sdk.Pipeline;

/**
 * What the two inventory pipelines share: planning a run from the folder (or, for a retry, from
 * ops.file_jobs), recording every file in ops.file_jobs, and the Beam graph {@link
 * InventorySnapshots}. The subclasses name their files, tables and snapshot.
 */
abstract class InventoryPipeline implements PipelineDefinition<InventoryOptions>, PollsInBatches {
  /** The files and dates a run takes, worked out in {@link #prepare}. */
  record Plan(
      List<FileTask> files,
      List<String> dates,
      LocalDate businessDate,
      @Nullable GoogleDriveIO.Zone drive) {}

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

  /** --continuous polls the source and runs a batch for what is new ({@link InventoryWatch}). */
  @Override
  public boolean supportsContinuous() {
    return true;
  }

  @Override
  public int poll(
      JobRunner runner,
      JdbcTarget target,
      HttpClientConfiguration http,
      JobRunner.Plan<?> plan,
      PrintStream out) {
    InventoryOptions options = (InventoryOptions) plan.options();
    List<String> args = new ArrayList<>();
    for (String arg : plan.request().pipelineArgs()) {
      if (!arg.startsWith("--maxPolls=")) {
        args.add(arg);
      }
    }
    return new InventoryWatch(runner, target, http, out, Sleeper.SYSTEM)
        .watch(
            List.of(this),
            args,
            plan.request().profile(),
            plan.request().beamArgs(),
            java.time.Duration.ofSeconds(options.getPollIntervalSeconds()),
            options.getMaxPolls() == null ? 0 : options.getMaxPolls());
  }

  /**
   * How many files of the source this pipeline has not seen in their current version and would
   * record: routed to it, or (when it records them) taken by no route or not readable. A watch runs
   * the pipeline only when this is above zero.
   */
  int unseenFiles(InventoryOptions options, JdbcTarget target, HttpClientConfiguration http) {
    InventoryConfig config = InventoryConfig.load(options.getConfig());
    FileJobs jobs = new FileJobs(target);
    boolean recordOthers = !Boolean.FALSE.equals(options.getRecordUnrouted());
    LocalDate only = date(options);
    int unseen = 0;
    if (GoogleDriveIO.isDriveLocation(options.getSource())) {
      GoogleDriveIO.Zone zone = driveZone(options.getSource(), options, http);
      List<DriveFile> listed;
      try {
        listed = zone.list();
      } catch (IOException e) {
        throw new RunFailure("--source " + zone.describe() + ": " + e.getMessage());
      }
      for (DriveFile file : listed) {
        String path = zone.prefix() + file.landedName();
        if (jobs.seen(name(), path, file.versionKey())) {
          continue;
        }
        boolean readable = file.skipReason(zone.sheets()).isEmpty();
        if (readable ? takes(config, file.landedName(), only, recordOthers) : recordOthers) {
          unseen++;
        }
      }
    } else {
      for (Listed f : listFolder(Path.of(options.getSource()))) {
        if (!jobs.seen(name(), f.path(), f.version())
            && takes(config, f.name(), only, recordOthers)) {
          unseen++;
        }
      }
    }
    return unseen;
  }

  /** Whether a run would record a file of this name (read it, or record it as unrouted). */
  private boolean takes(
      InventoryConfig config, String name, @Nullable LocalDate only, boolean recordUnrouted) {
    InventoryConfig.Routed r = config.route(name, new StringBuilder()).orElse(null);
    if (r == null) {
      return recordUnrouted;
    }
    return r.pipeline().equals(name())
        && kinds().contains(r.kind())
        && (only == null || r.kind() == FileKind.SUPPLIERS || r.date().equals(only));
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

  /**
   * A file of the source as the planner sees it, before anything reads it: its name (what the
   * routing table matches), the path ops.file_jobs and silver know it by, its Drive entry when it
   * is in a Drive folder, its version (a local file's size and modification time; a Drive file's id
   * and md5Checksum, or a Sheet's modifiedTime: cheap to tell without reading the file) and its
   * checksum, computed only for a file that is going to be read.
   */
  private record Listed(
      String name,
      String path,
      @Nullable DriveFile drive,
      String version,
      Supplier<String> checksum) {}

  @Override
  public void prepare(InventoryOptions options, RunContext context) {
    InventoryConfig config = InventoryConfig.load(options.getConfig());
    InventoryConfig.Settings settings = settings(options);
    FileJobs jobs = new FileJobs(context.target());
    LocalDate only = date(options);
    boolean onlyNew = Boolean.TRUE.equals(options.getOnlyNewFiles());
    List<FileTask> tasks = new ArrayList<>();
    Set<LocalDate> dates = new TreeSet<>();
    GoogleDriveIO.Zone drive = null;
    if (only != null && !onlyNew) {
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
          checksum = gone == null ? checksum(file) : null;
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
                current == null ? localVersion(Path.of(failed.filePath())) : current.versionKey());
        tasks.add(
            new FileTask(
                id, kind, failed.filePath(), failed.businessDate(), failed.storeId(), current));
        dates.addAll(datesServed(context, kind, failed.businessDate(), only));
      }
    } else {
      List<Listed> files;
      if (GoogleDriveIO.isDriveLocation(options.getSource())) {
        drive = driveZone(options.getSource(), options, context);
        files = listDrive(drive, jobs, context, onlyNew);
      } else {
        files = listFolder(Path.of(options.getSource()));
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
        for (Listed f : files) {
          InventoryConfig.Routed r = config.route(f.name(), new StringBuilder()).orElse(null);
          if (r != null
              && r.pipeline().equals(name())
              && r.kind() == FileKind.SUPPLIERS
              && !r.date().isAfter(only)
              && (newestSupplier == null || r.date().isAfter(newestSupplier))) {
            newestSupplier = r.date();
          }
        }
      }
      for (Listed f : files) {
        if (onlyNew && jobs.seen(name(), f.path(), f.version())) {
          continue; // this version was read (or skipped, or failed) by an earlier run
        }
        StringBuilder why = new StringBuilder();
        InventoryConfig.Routed r = config.route(f.name(), why).orElse(null);
        String driveId = f.drive() == null ? null : f.drive().id();
        if (r == null) {
          if (!Boolean.FALSE.equals(options.getRecordUnrouted())) {
            jobs.add(
                context.runId(),
                name(),
                f.path(),
                null,
                null,
                null,
                FileJobs.SKIPPED,
                0,
                why.toString(),
                null,
                driveId,
                f.version());
          }
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
                f.path(),
                r.kind().label(),
                r.date(),
                r.store(),
                FileJobs.QUEUED,
                0,
                null,
                f.checksum().get(),
                driveId,
                f.version());
        tasks.add(new FileTask(id, r.kind(), f.path(), r.date(), r.store(), f.drive()));
        dates.addAll(datesServed(context, r.kind(), r.date(), only));
      }
    }
    plans.put(
        context.runId(),
        new Plan(tasks, dates.stream().map(LocalDate::toString).toList(), only, drive));
  }

  /** The workbooks directly in a folder (hidden names left out), by name. */
  private static List<Listed> listFolder(Path folder) {
    try (Stream<Path> listed = Files.list(folder)) {
      return listed
          .filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .map(
              p ->
                  new Listed(
                      p.getFileName().toString(),
                      p.toAbsolutePath().normalize().toString(),
                      null,
                      localVersion(p),
                      () -> checksum(p)))
          .toList();
    } catch (IOException e) {
      throw new RunFailure("--source " + folder + " cannot be listed: " + e);
    }
  }

  /**
   * The files of a Drive folder (files.list, every page). Sub-folders, Google Docs and the like
   * (and Sheets when --drive-sheets=skip) are recorded as skipped with Drive's reason; of two files
   * with the same name, the one modified last is read and the other recorded as skipped, since
   * silver and the snapshots know a file by its name.
   */
  private List<Listed> listDrive(
      GoogleDriveIO.Zone zone, FileJobs jobs, RunContext context, boolean onlyNew) {
    List<DriveFile> listed;
    try {
      listed = zone.list();
    } catch (IOException e) {
      throw new RunFailure("--source " + zone.describe() + ": " + e.getMessage());
    }
    Map<String, DriveFile> newest = new TreeMap<>();
    for (DriveFile file : listed) {
      DriveFile other = newest.get(file.landedName());
      if (other == null || !file.modifiedTime().isBefore(other.modifiedTime())) {
        newest.put(file.landedName(), file);
      }
    }
    List<Listed> out = new ArrayList<>();
    for (DriveFile file : listed) {
      String path = zone.prefix() + file.landedName();
      DriveFile winner = newest.get(file.landedName());
      String reason = file.skipReason(zone.sheets()).orElse(null);
      if (reason == null && winner != file) {
        reason =
            "another file named '"
                + file.landedName()
                + "' in the folder (id "
                + winner.id()
                + ") was modified later and is read instead";
      }
      if (reason != null) {
        if (!onlyNew || !jobs.seen(name(), path, file.versionKey())) {
          jobs.add(
              context.runId(),
              name(),
              path,
              null,
              null,
              null,
              FileJobs.SKIPPED,
              0,
              file.name() + ": " + reason,
              null,
              file.id(),
              file.versionKey());
        }
        continue;
      }
      out.add(
          new Listed(
              file.landedName(),
              path,
              file,
              file.versionKey(),
              // Drive's md5Checksum of the content; a Sheet has none (its export is made anew)
              file::md5Checksum));
    }
    out.sort(java.util.Comparator.comparing(Listed::name));
    return out;
  }

  /** A local file's version: its size and modification time, read without opening it. */
  static String localVersion(Path file) {
    try {
      return Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return "unreadable";
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

  /**
   * Whether the folder has a workbook of this pipeline dated {@code day} (not a supplier master).
   */
  private boolean ownFileFor(InventoryConfig config, List<Listed> files, LocalDate day) {
    for (Listed f : files) {
      InventoryConfig.Routed r = config.route(f.name(), new StringBuilder()).orElse(null);
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
            context.runs(Layer.GOLD),
            plan.drive()));
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
