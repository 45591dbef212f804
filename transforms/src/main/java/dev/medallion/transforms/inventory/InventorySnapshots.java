package dev.medallion.transforms.inventory;

import dev.medallion.io.gdrive.GoogleDriveIO;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.transforms.snapshot.DailySnapshots;
import dev.medallion.transforms.snapshot.SnapshotKey;
import dev.medallion.transforms.snapshot.SnapshotPane;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * An inventory pipeline, from the files a run (or a poll of a continuous run) takes to the daily
 * snapshots, the same for a bounded run and an unbounded one:
 *
 * <pre>
 * files -> SpreadFiles -> ReadFilesIntoSilver (one transaction a file, a Drive file downloaded first;
 *   bad rows and broken files to the quarantine and ops.file_jobs)
 *   -> DatesEachFileFeeds: (pipeline, business date) per date the file's rows feed
 *   -> DailySnapshots: a pane per date, early after batch_size files, batch_bytes or flush_interval,
 *      and a final one when the input ends
 *   -> RewriteSnapshot: each pane rebuilds its date from silver and publishes it atomically
 * </pre>
 *
 * Beside them, the dates rewritten whole as the run starts: a gold-only run's (it reads no file),
 * and those an earlier run left owing a rewrite (it died after reading a file, before the rewrite).
 */
public final class InventorySnapshots
    extends PTransform<PCollection<FileTask>, PCollection<String>> {
  private static final long serialVersionUID = 1L;
  private final JdbcTarget target;
  private final String pipeline;
  private final String runId;
  private final InventoryConfig.Settings settings;
  private final PublishSnapshots.Kind kind;
  @Nullable private final LocalDate runDate;
  private final boolean silver;
  private final boolean gold;
  private final List<String> wholeDates;
  @Nullable private final GoogleDriveIO.Zone drive;

  /**
   * @param runDate the run's business date ({@code --date}), or null for every date the files feed
   * @param wholeDates the dates rewritten whole as the run starts, whatever files it reads: a
   *     gold-only run's, and those an earlier run left owing a rewrite (ops.snapshot_dates)
   * @param drive the Google Drive folder the files are downloaded from, if they are in one
   */
  public InventorySnapshots(
      JdbcTarget target,
      String pipeline,
      String runId,
      InventoryConfig.Settings settings,
      PublishSnapshots.Kind kind,
      @Nullable LocalDate runDate,
      boolean silver,
      boolean gold,
      List<String> wholeDates,
      @Nullable GoogleDriveIO.Zone drive) {
    this.target = target;
    this.pipeline = pipeline;
    this.runId = runId;
    this.settings = settings;
    this.kind = kind;
    this.runDate = runDate;
    this.silver = silver;
    this.gold = gold;
    this.wholeDates = List.copyOf(wholeDates);
    this.drive = drive;
  }

  @Override
  public PCollection<String> expand(PCollection<FileTask> files) {
    PublishSnapshots rewrite =
        new PublishSnapshots(
            target, runId, kind, settings.outputDir(), settings.stockHealth(), runDate);
    PCollection<String> rewrittenWhole =
        files
            .getPipeline()
            .apply(
                "DatesToRewriteWhole",
                Create.of(gold ? wholeDates : List.<String>of()).withCoder(StringUtf8Coder.of()))
            .apply(
                "WholeDatePanes",
                MapElements.via(
                    new SimpleFunction<String, SnapshotPane<FileRead>>() {
                      @Override
                      public SnapshotPane<FileRead> apply(String date) {
                        return new SnapshotPane<>(
                            SnapshotKey.of(pipeline, LocalDate.parse(date)),
                            0,
                            SnapshotPane.Firing.FINAL,
                            List.of(),
                            0);
                      }
                    }))
            .setCoder(SnapshotPane.coder(FileRead.Coder.of()))
            .apply("RewriteWholeDate", ParDo.of(rewrite))
            .setCoder(StringUtf8Coder.of());
    if (!silver) {
      return rewrittenWhole;
    }
    PCollection<FileRead> read =
        files
            .apply("SpreadFiles", Reshuffle.viaRandomKey())
            .apply(
                "ReadFilesIntoSilver",
                ParDo.of(new ReadFilesIntoSilver(target, pipeline, runId, settings, drive)))
            .setCoder(FileRead.Coder.of());
    if (!gold) {
      return read.apply(
          "FileNames", MapElements.into(TypeDescriptors.strings()).via(FileRead::path));
    }
    PCollection<String> rewrittenByPanes =
        read.apply(
                "DatesEachFileFeeds", ParDo.of(new DatesEachFileFeedsFn(target, pipeline, runDate)))
            .setCoder(KvCoder.of(SnapshotKey.Coder.of(), FileRead.Coder.of()))
            .apply(
                "DailySnapshots",
                DailySnapshots.<FileRead>sizedBy(FileRead::bytes)
                    .withPolicy(settings.flushPolicy()))
            .apply("RewriteSnapshot", ParDo.of(rewrite))
            .setCoder(StringUtf8Coder.of());
    return PCollectionList.of(rewrittenWhole)
        .and(rewrittenByPanes)
        .apply("RewrittenDates", Flatten.pCollections());
  }

  /**
   * Keys a handled file by each date its rows feed ({@link InventoryTables#datesFed}), asked after
   * the file is in silver, so a supplier master reaches every date whose stock is already there and
   * a stock file read later finds the master in silver when its own date is rewritten.
   */
  static final class DatesEachFileFeedsFn extends DoFn<FileRead, KV<SnapshotKey, FileRead>> {
    private static final long serialVersionUID = 1L;
    private final JdbcTarget target;
    private final String pipeline;
    @Nullable private final LocalDate runDate;

    DatesEachFileFeedsFn(JdbcTarget target, String pipeline, @Nullable LocalDate runDate) {
      this.target = target;
      this.pipeline = pipeline;
      this.runDate = runDate;
    }

    @ProcessElement
    public void process(@Element FileRead file, OutputReceiver<KV<SnapshotKey, FileRead>> out)
        throws SQLException {
      for (LocalDate date :
          InventoryTables.datesFed(target, file.kind(), file.fileDate(), runDate)) {
        out.output(KV.of(SnapshotKey.of(pipeline, date), file));
      }
    }
  }
}
