package dev.medallion.transforms.inventory;

import dev.medallion.io.gdrive.GoogleDriveIO;
import dev.medallion.ops.db.JdbcTarget;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * An inventory pipeline's batch run:
 *
 * <pre>
 * planned files -> spread over workers -> ReadFilesIntoSilver (a Drive file downloaded first) (one transaction a file; bad rows and
 *   broken files to the quarantine and ops.file_jobs)
 * planned dates -> after every file is in silver -> PublishSnapshots (each date rebuilt from silver,
 *   CSVs and gold rows replaced atomically)
 * </pre>
 */
public final class InventorySnapshots extends PTransform<PBegin, PCollection<String>> {
  private static final long serialVersionUID = 1L;
  private final JdbcTarget target;
  private final String pipeline;
  private final String runId;
  private final InventoryConfig.Settings settings;
  private final PublishSnapshots.Kind kind;
  private final List<FileTask> files;
  private final List<String> dates;
  private final boolean silver;
  private final boolean gold;
  @Nullable private final GoogleDriveIO.Zone drive;

  public InventorySnapshots(
      JdbcTarget target,
      String pipeline,
      String runId,
      InventoryConfig.Settings settings,
      PublishSnapshots.Kind kind,
      List<FileTask> files,
      List<String> dates,
      boolean silver,
      boolean gold) {
    this(target, pipeline, runId, settings, kind, files, dates, silver, gold, null);
  }

  /** With {@code drive}: the Google Drive folder the planned files are downloaded from. */
  public InventorySnapshots(
      JdbcTarget target,
      String pipeline,
      String runId,
      InventoryConfig.Settings settings,
      PublishSnapshots.Kind kind,
      List<FileTask> files,
      List<String> dates,
      boolean silver,
      boolean gold,
      @Nullable GoogleDriveIO.Zone drive) {
    this.drive = drive;
    this.target = target;
    this.pipeline = pipeline;
    this.runId = runId;
    this.settings = settings;
    this.kind = kind;
    this.files = List.copyOf(files);
    this.dates = List.copyOf(dates);
    this.silver = silver;
    this.gold = gold;
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    PCollection<Long> written;
    if (silver) {
      written =
          begin
              .apply("Files", Create.of(files).withCoder(SerializableCoder.of(FileTask.class)))
              .apply("SpreadFiles", Reshuffle.viaRandomKey())
              .apply(
                  "ReadFilesIntoSilver",
                  ParDo.of(new ReadFilesIntoSilver(target, pipeline, runId, settings, drive)))
              .setCoder(VarLongCoder.of());
    } else {
      written = begin.apply("NoFiles", Create.empty(VarLongCoder.of()));
    }
    return begin
        .apply(
            "PlannedDates",
            Create.of(gold ? dates : List.<String>of()).withCoder(StringUtf8Coder.of()))
        .apply("AfterFilesInSilver", Wait.on(written))
        .apply(
            "PublishSnapshots",
            ParDo.of(
                new PublishSnapshots(target, kind, settings.outputDir(), settings.stockHealth())))
        .setCoder(StringUtf8Coder.of());
  }
}
