package dev.medallion.transforms.inventory;

import dev.medallion.core.LayerMetrics;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.io.gdrive.GoogleDriveIO;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.quarantine.WriteQuarantine;
import dev.medallion.ops.ErrorClass;
import dev.medallion.ops.FileJobs;
import dev.medallion.ops.Layer;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import javax.annotation.Nullable;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one inventory file into its silver table, in one transaction: the file's earlier rows are
 * replaced, a row with a bad cell goes to the quarantine naming the cell, and the file's job
 * becomes completed with its row counts. A file that cannot be read at all (corrupt, encrypted, a
 * zip bomb, no such sheet, no header) fails alone: its job becomes failed with the reason, it is
 * quarantined whole, and its earlier rows stay. Outputs every file handled, with its size. Database
 * errors are not caught: the bundle fails and the runner retries it (the work is idempotent).
 */
public final class ReadFilesIntoSilver extends DoFn<FileTask, FileRead> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ReadFilesIntoSilver.class);
  private final JdbcTarget target;
  private final String pipeline;
  private final String runId;
  private final String dateFormat;
  private final Map<String, java.util.List<String>> aliases;
  @Nullable private final GoogleDriveIO.Zone drive;
  private final String intermediateDir;
  private final int workerCount;
  private final int downloadAttempts;
  private final long retryBackoffMillis;
  private transient DateTimeFormatter formatter;
  @Nullable private transient GoogleDriveIO.Downloader downloader;

  public ReadFilesIntoSilver(
      JdbcTarget target, String pipeline, String runId, InventoryConfig.Settings settings) {
    this(target, pipeline, runId, settings, null);
  }

  /** With {@code drive}, the Drive folder the tasks that carry a Drive file are downloaded from. */
  public ReadFilesIntoSilver(
      JdbcTarget target,
      String pipeline,
      String runId,
      InventoryConfig.Settings settings,
      @Nullable GoogleDriveIO.Zone drive) {
    this.target = target;
    this.pipeline = pipeline;
    this.runId = runId;
    this.dateFormat = settings.dateFormat();
    this.aliases = Map.copyOf(settings.aliases());
    this.drive = drive;
    this.intermediateDir = settings.intermediateDir();
    this.workerCount = settings.workerCount();
    this.downloadAttempts = 1 + settings.retryAttempts();
    this.retryBackoffMillis = settings.retryBackoff().toMillis();
  }

  /**
   * worker_count: how many files of one pipeline a worker process reads at once, whatever the
   * runner's parallelism (one permit pool per pipeline and process, so each pipeline has its own
   * workers and never waits for another's).
   */
  private static final ConcurrentMap<String, Semaphore> WORKERS = new ConcurrentHashMap<>();

  private Semaphore workers() {
    return WORKERS.computeIfAbsent(
        pipeline + "/" + workerCount, k -> new Semaphore(workerCount, true));
  }

  @Setup
  public void setup() {
    formatter = DateTimeFormatter.ofPattern(dateFormat, java.util.Locale.ROOT);
  }

  /**
   * The file on this machine: a local file as it is; a Drive file downloaded (files.get alt=media,
   * a Sheet exported as XLSX) into a temporary folder under its own name, so every message names
   * the file the user knows. A download that fails (after the client's retries) fails the file.
   */
  private Path local(FileTask task, Path[] temporary) throws IOException {
    if (task.drive() == null) {
      return Path.of(task.path());
    }
    if (drive == null) {
      throw new IllegalStateException(
          "a Drive file (" + task.path() + ") but no Drive zone was given to ReadFilesIntoSilver");
    }
    if (downloader == null) {
      downloader = drive.downloader();
    }
    // the pipeline's intermediate_dir, so downloads land where the config says (and on its disk)
    Path intermediate = Path.of(intermediateDir);
    Files.createDirectories(intermediate);
    temporary[0] = Files.createTempDirectory(intermediate, "gdrive-");
    Path file = temporary[0].resolve(task.drive().landedName().replace('/', '_'));
    Files.write(file, download(task));
    return file;
  }

  /**
   * The Drive file's bytes. A download that still fails after the HTTP client's own retries (Drive
   * unreachable for a while, 5xx answers) is tried again retry_attempts times, waiting
   * retry_backoff, then twice that, and so on; a refusal (401 after a refresh, 403, 404) is not.
   */
  private byte[] download(FileTask task) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return downloader.fetch(task.drive()).content();
      } catch (IOException e) {
        boolean refused =
            e instanceof HttpFailure f
                && f.status() >= 400
                && f.status() < 500
                && f.status() != 429;
        if (refused || attempt >= downloadAttempts) {
          throw attempt == 1
              ? e
              : new IOException(e.getMessage() + " (after " + attempt + " attempts)", e);
        }
        long wait = retryBackoffMillis << Math.min(attempt - 1, 16);
        LOG.warn(
            "Downloading {} failed ({}); attempt {} of {} in {} ms",
            task.path(),
            e.getMessage(),
            attempt + 1,
            downloadAttempts,
            wait);
        try {
          Thread.sleep(wait);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting to download " + task.path(), e);
        }
      }
    }
  }

  private static void deleteQuietly(@Nullable Path folder) {
    if (folder == null) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.list(folder)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(folder);
    } catch (IOException e) {
      // A temporary copy left behind costs disk space only; the run's result does not depend on it.
      LOG.warn("Could not delete the temporary download {}: {}", folder, e.getMessage());
    }
  }

  @ProcessElement
  public void process(@Element FileTask task, OutputReceiver<FileRead> out)
      throws SQLException, InterruptedException {
    Semaphore workers = workers();
    workers.acquire();
    try {
      out.output(read(task));
    } finally {
      workers.release();
    }
  }

  private FileRead read(FileTask task) throws SQLException {
    long bytes = 0;
    try (Connection c = ConnectionPool.forTarget(target).getConnection()) {
      c.setAutoCommit(true);
      FileJobs.processing(c, task.jobId());
      c.setAutoCommit(false);
      long[] counts = {0, 0};
      Path[] temporary = {null};
      try {
        Path file = local(task, temporary);
        bytes = Files.size(file);
        readInto(c, task, file, counts);
        FileJobs.finish(c, task.jobId(), FileJobs.COMPLETED, null, counts[0], counts[1]);
        InventoryTables.markDirty(
            c, pipeline, InventoryTables.datesFed(c, task.kind(), task.fileDate(), null));
        c.commit();
        LayerMetrics.in(Layer.SILVER).inc(counts[0] + counts[1]);
        LayerMetrics.out(Layer.SILVER).inc(counts[0]);
        LayerMetrics.quarantined(Layer.SILVER).inc(counts[1]);
        LayerMetrics.tableRows(silverTable(task.kind())).inc(counts[0]);
      } catch (WorkbookFailure | IOException e) {
        c.rollback();
        String reason =
            e instanceof WorkbookFailure
                ? e.getMessage()
                : Path.of(task.path()).getFileName() + ": " + e.getMessage();
        WriteQuarantine.write(
            c,
            pipeline,
            runId,
            QuarantinedRecord.of(
                Layer.SILVER,
                ErrorClass.MALFORMED_FILE,
                task.path(),
                QuarantinedRecord.WHOLE_SOURCE,
                String.valueOf(task.jobId()),
                null,
                reason));
        FileJobs.finish(c, task.jobId(), FileJobs.FAILED, reason, 0, 0);
        c.commit();
        // The unreadable file is one record in and one quarantined, as edge counts a malformed
        // file.
        LayerMetrics.in(Layer.SILVER).inc();
        LayerMetrics.quarantined(Layer.SILVER).inc();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        deleteQuietly(temporary[0]);
      }
    }
    return new FileRead(task.jobId(), task.kind(), task.path(), task.fileDate(), bytes);
  }

  private void readInto(Connection c, FileTask task, Path file, long[] counts)
      throws WorkbookFailure, IOException, SQLException {
    InventoryTables.deleteFileRows(c, silverTable(task.kind()), task.path());
    try (InventoryTables.Inserter in =
        switch (task.kind()) {
          case STOCK -> InventoryTables.Inserter.stock(c);
          case SUPPLIERS -> InventoryTables.Inserter.suppliers(c);
          case PO -> InventoryTables.Inserter.poLines(c);
        }) {
      WorkbookRows.read(
          file,
          task.kind().layout().withAliases(aliases),
          formatter,
          row -> {
            try {
              try {
                switch (task.kind()) {
                  case STOCK ->
                      InventoryTables.add(
                          in, StockRow.from(row, task.fileDate(), task.store(), task.path()));
                  case SUPPLIERS ->
                      InventoryTables.add(in, SupplierRow.from(row, task.fileDate(), task.path()));
                  case PO ->
                      InventoryTables.add(in, PoLine.from(row, task.fileDate(), task.path()));
                  default -> throw new IllegalStateException(task.kind().name());
                }
                counts[0]++;
              } catch (BadCellException e) {
                counts[1]++;
                WriteQuarantine.write(
                    c,
                    pipeline,
                    runId,
                    QuarantinedRecord.of(
                        Layer.SILVER,
                        e.errorClass(),
                        task.path(),
                        row.rowNumber(),
                        String.valueOf(task.jobId()),
                        row.describe(),
                        Path.of(task.path()).getFileName() + " " + e.getMessage()));
              }
            } catch (SQLException e) {
              throw new IOException(new SqlFailure(e));
            }
          });
    } catch (IOException e) {
      if (e.getCause() instanceof SqlFailure f) {
        throw f.sql;
      }
      throw e;
    }
  }

  private static String silverTable(FileKind kind) {
    return switch (kind) {
      case STOCK -> InventoryTables.STOCK;
      case SUPPLIERS -> InventoryTables.SUPPLIERS;
      case PO -> InventoryTables.PO_LINES;
    };
  }

  /** Carries a database error through the row reader, which only lets IOException through. */
  private static final class SqlFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient SQLException sql;

    SqlFailure(SQLException sql) {
      super(sql);
      this.sql = sql;
    }
  }
}
