package dev.medallion.transforms.ingest;

import dev.medallion.core.LayerMetrics.RunMetric;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.io.files.LandedFile;
import dev.medallion.io.files.LandingZone;
import dev.medallion.io.files.MoveLandedFiles;
import dev.medallion.io.quarantine.WriteQuarantine;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * The file to bronze skeleton of a continuous run, where the input never ends and {@code Wait.on}
 * cannot wait for a whole collection: the same rules as {@link IngestFiles}, file by file. Per
 * file, in one transaction: skip it if the ledger holds its checksum, else write its bronze rows,
 * its quarantine rows and its ledger row; then move it. Emits the checksum of every file whose
 * records are now safe (new or already handled), for the layers that take its rows from bronze.
 */
public final class IngestFilesContinuously<R>
    extends PTransform<PCollection<LandedFile>, PCollection<String>> {
  private static final long serialVersionUID = 1L;
  private final LandingZone zone;
  private final BronzeFiles<R> files;
  private final JdbcTarget target;
  @Nullable private final String runId;
  private final boolean moveFiles;

  private IngestFilesContinuously(
      LandingZone zone,
      BronzeFiles<R> files,
      JdbcTarget target,
      @Nullable String runId,
      boolean moveFiles) {
    this.zone = zone;
    this.files = files;
    this.target = target;
    this.runId = runId;
    this.moveFiles = moveFiles;
  }

  public static <R> IngestFilesContinuously<R> into(
      LandingZone zone,
      BronzeFiles<R> files,
      JdbcTarget target,
      @Nullable String runId,
      boolean moveFiles) {
    return new IngestFilesContinuously<>(zone, files, target, runId, moveFiles);
  }

  @Override
  public PCollection<String> expand(PCollection<LandedFile> landed) {
    return landed
        .apply(
            "WriteFileToBronzeThenMove",
            ParDo.of(new IngestFileFn<>(zone, files, target, runId, moveFiles)))
        .setCoder(StringUtf8Coder.of());
  }

  static final class IngestFileFn<R> extends DoFn<LandedFile, String> {
    private static final long serialVersionUID = 1L;
    private final Counter alreadyIngested = RunMetric.FILES_ALREADY_INGESTED.counter();
    private final BronzeFiles.Tally tally = new BronzeFiles.Tally();
    private final MoveLandedFiles.Mover mover;
    private final BronzeFiles<R> files;
    private final JdbcTarget target;
    @Nullable private final String runId;
    private final boolean moveFiles;

    IngestFileFn(
        LandingZone zone,
        BronzeFiles<R> files,
        JdbcTarget target,
        @Nullable String runId,
        boolean moveFiles) {
      this.mover = new MoveLandedFiles.Mover(zone);
      this.files = files;
      this.target = target;
      this.runId = runId;
      this.moveFiles = moveFiles;
    }

    @ProcessElement
    public void process(@Element LandedFile file, OutputReceiver<String> out)
        throws IOException, SQLException {
      String destination;
      try (Connection c = ConnectionPool.forTarget(target).getConnection()) {
        Optional<FileStatus> handled =
            FileLedger.handledStatus(c, files.pipeline(), file.checksum());
        if (handled.isPresent() && !handled.get().belongsInQuarantine()) {
          alreadyIngested.inc();
          destination = file.processedPath();
        } else if (handled.isPresent()) {
          // A copy of a refused file: refused again, with a quarantine row of its own.
          BronzeFiles.Split<R> split = files.split(file, runId);
          for (QuarantinedRecord failure : split.failures()) {
            WriteQuarantine.write(c, files.pipeline(), runId, failure);
          }
          tally.count(file, split);
          destination = split.destination();
        } else {
          BronzeFiles.Split<R> split = files.split(file, runId);
          writeAtOnce(c, split);
          tally.count(file, split);
          destination = split.destination();
        }
      }
      if (moveFiles) {
        mover.move(file.path(), destination);
      }
      out.output(file.checksum());
    }

    /** The file's rows, set-aside records and ledger row commit together, or not at all. */
    private void writeAtOnce(Connection c, BronzeFiles.Split<R> split) throws SQLException {
      c.setAutoCommit(false);
      try {
        files.write(c, split.records());
        for (QuarantinedRecord failure : split.failures()) {
          WriteQuarantine.write(c, files.pipeline(), runId, failure);
        }
        FileLedger.record(c, split.ledger());
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }
}
