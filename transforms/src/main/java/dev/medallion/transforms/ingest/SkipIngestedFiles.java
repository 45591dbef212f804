package dev.medallion.transforms.ingest;

import dev.medallion.core.LayerMetrics.RunMetric;
import dev.medallion.io.files.LandedFile;
import dev.medallion.transforms.grouping.CoGroupInBuckets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Keeps one file per checksum that the file ledger does not hold yet: the earliest landed (then by
 * path). A file whose checksum the ledger holds as ingested only needs its move to processed/. The
 * other copies ({@link #REPEATS}: of a checksum the ledger holds as refused, or more copies of a
 * new one) are read again by {@link SplitFiles#repeats}, so that a refused copy gets a quarantine
 * row of its own and every copy goes where its content belongs.
 */
public final class SkipIngestedFiles extends PTransform<PCollection<LandedFile>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;
  public static final TupleTag<LandedFile> NEW_FILES = new TupleTag<>() {};

  /** Source path to destination path. */
  public static final TupleTag<KV<String, String>> MOVES = new TupleTag<>() {};

  /** Copies of a refused or a new checksum besides the one read as new. */
  public static final TupleTag<LandedFile> REPEATS = new TupleTag<>() {};

  private static final TupleTag<LandedFile> FILES = new TupleTag<>() {};
  private static final TupleTag<String> HANDLED = new TupleTag<>() {};

  private final PCollection<KV<String, String>> handledFiles;

  private SkipIngestedFiles(PCollection<KV<String, String>> handledFiles) {
    this.handledFiles = handledFiles;
  }

  /**
   * @param handledFiles checksum to {@link FileStatus} label of every file the ledger holds
   */
  public static SkipIngestedFiles knownTo(PCollection<KV<String, String>> handledFiles) {
    return new SkipIngestedFiles(handledFiles);
  }

  @Override
  public PCollectionTuple expand(PCollection<LandedFile> files) {
    PCollectionTuple result =
        KeyedPCollectionTuple.of(
                FILES,
                files.apply(
                    "KeyFilesByChecksum",
                    WithKeys.of(LandedFile::checksum)
                        .withKeyType(org.apache.beam.sdk.values.TypeDescriptors.strings())))
            .and(HANDLED, handledFiles)
            .apply("GroupByChecksum", CoGroupInBuckets.create())
            .apply(
                "KeepFirstNewFile",
                ParDo.of(new KeepFirstFn())
                    .withOutputTags(NEW_FILES, TupleTagList.of(MOVES).and(REPEATS)));
    result.get(MOVES).setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    return result;
  }

  static final class KeepFirstFn extends DoFn<KV<String, CoGbkResult>, LandedFile> {
    private static final long serialVersionUID = 1L;
    private final Counter alreadyIngested = RunMetric.FILES_ALREADY_INGESTED.counter();

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> group, MultiOutputReceiver out) {
      List<LandedFile> files = new ArrayList<>();
      group.getValue().getAll(FILES).forEach(files::add);
      if (files.isEmpty()) {
        return;
      }
      files.sort(
          Comparator.comparingLong(LandedFile::landedAtMillis).thenComparing(LandedFile::path));
      String handled = group.getValue().getOnly(HANDLED, null);
      boolean ingested = handled != null && !FileStatus.parse(handled).belongsInQuarantine();
      for (int i = 0; i < files.size(); i++) {
        LandedFile file = files.get(i);
        if (i == 0 && handled == null) {
          out.get(NEW_FILES).output(file);
        } else if (ingested) {
          alreadyIngested.inc();
          out.get(MOVES).output(KV.of(file.path(), file.processedPath()));
        } else {
          out.get(REPEATS).output(file);
        }
      }
    }
  }
}
