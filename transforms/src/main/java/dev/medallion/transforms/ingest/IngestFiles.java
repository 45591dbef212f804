package dev.medallion.transforms.ingest;

import dev.medallion.io.files.LandedFile;
import dev.medallion.io.files.LandingZone;
import dev.medallion.io.files.MoveLandedFiles;
import dev.medallion.io.jdbc.SinkRejects;
import dev.medallion.io.quarantine.WriteQuarantine;
import dev.medallion.ops.db.JdbcTarget;
import javax.annotation.Nullable;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The file to bronze skeleton of a scheduled run:
 *
 * <pre>
 * landing zone -> SkipIngestedFiles (file ledger) -> SplitFiles (reader by format) -> bronze table
 *                                                      (bad records, rows the bronze table refused) -> quarantine
 *   Wait.on(bronze, quarantine) -> file ledger row per file -> Wait.on(ledger) -> move to processed/ or quarantine/
 * </pre>
 *
 * A file enters the ledger only once all of its records are committed to bronze or the quarantine,
 * and is moved only once it is in the ledger: a run killed anywhere leaves each file either still
 * in the landing zone without a ledger row (the next run redoes it; bronze keeps the rows it has)
 * or in the ledger (the next run only moves it). The output signals that bronze is written, for the
 * layers that read it.
 */
public final class IngestFiles<R> extends PTransform<PBegin, PCollection<Void>> {
  private static final long serialVersionUID = 1L;
  private final LandingZone zone;
  private final BronzeFiles<R> files;
  private final JdbcTarget target;
  @Nullable private final String runId;
  private final boolean moveFiles;

  private IngestFiles(
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

  /**
   * Files of {@code zone} into {@code files}' bronze table; moves handled files unless {@link
   * #withoutMoving()}.
   */
  public static <R> IngestFiles<R> from(
      LandingZone zone, BronzeFiles<R> files, JdbcTarget target, @Nullable String runId) {
    return new IngestFiles<>(zone, files, target, runId, true);
  }

  /**
   * Leaves handled files where they are (the ledger still records them, so they are not read
   * twice).
   */
  public IngestFiles<R> withoutMoving() {
    return new IngestFiles<>(zone, files, target, runId, false);
  }

  public IngestFiles<R> withMoving(boolean move) {
    return new IngestFiles<>(zone, files, target, runId, move);
  }

  @Override
  public PCollection<Void> expand(PBegin input) {
    PCollection<LandedFile> landed = input.apply("ReadLandingZone", zone.read());
    PCollection<KV<String, String>> handled =
        input.apply("HandledFiles", FileLedger.handledFiles(target, files.pipeline()));
    PCollectionTuple sorted = landed.apply("SkipIngestedFiles", SkipIngestedFiles.knownTo(handled));
    SplitFiles<R> split = SplitFiles.into(files, runId);
    PCollectionTuple read = sorted.get(SkipIngestedFiles.NEW_FILES).apply("SplitFiles", split);
    PCollectionTuple repeats =
        sorted
            .get(SkipIngestedFiles.REPEATS)
            .apply("SplitRepeats", SplitFiles.repeats(files, runId));

    PCollectionTuple bronze = read.get(split.records()).apply("WriteBronze", files.write(target));
    PCollection<Void> bronzeWritten = bronze.get(SinkRejects.WRITTEN);
    PCollection<Void> quarantineWritten =
        PCollectionList.of(read.get(SplitFiles.FAILURES))
            .and(bronze.get(SinkRejects.REJECTED))
            .and(repeats.get(SplitFiles.FAILURES))
            .apply("AllBronzeFailures", Flatten.pCollections())
            .apply("WriteBronzeQuarantine", WriteQuarantine.of(target, files.pipeline(), runId));
    PCollection<Void> ledgerWritten =
        read.get(SplitFiles.LEDGER)
            .apply("AfterBronzeAndQuarantine", Wait.on(bronzeWritten, quarantineWritten))
            .apply("RecordInFileLedger", FileLedger.write(target));
    if (moveFiles) {
      PCollectionList.of(sorted.get(SkipIngestedFiles.MOVES))
          .and(read.get(SplitFiles.MOVES))
          .and(repeats.get(SplitFiles.MOVES))
          .apply("AllMoves", Flatten.pCollections())
          .apply("AfterFileLedger", Wait.on(ledgerWritten))
          .apply("MoveFiles", MoveLandedFiles.within(zone));
    }
    return bronzeWritten;
  }
}
