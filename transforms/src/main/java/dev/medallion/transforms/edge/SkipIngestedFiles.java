package dev.medallion.transforms.edge;

import dev.medallion.core.LayerMetrics;
import dev.medallion.core.LayerMetrics.RunMetric;
import dev.medallion.io.files.LandedFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Keeps one file per checksum that bronze does not hold yet: the earliest landed (then by path).
 * Every other file is already safe in bronze, so it only needs its move to processed/.
 */
public final class SkipIngestedFiles extends PTransform<PCollection<LandedFile>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;
  public static final TupleTag<LandedFile> NEW_FILES = new TupleTag<>() {};
  public static final TupleTag<KV<String, String>> MOVES = new TupleTag<>() {};
  private static final TupleTag<LandedFile> FILES = new TupleTag<>() {};
  private static final TupleTag<String> KNOWN = new TupleTag<>() {};

  private final PCollection<String> knownChecksums;

  private SkipIngestedFiles(PCollection<String> knownChecksums) {
    this.knownChecksums = knownChecksums;
  }

  public static SkipIngestedFiles knownTo(PCollection<String> checksumsInBronze) {
    return new SkipIngestedFiles(checksumsInBronze);
  }

  @Override
  public PCollectionTuple expand(PCollection<LandedFile> files) {
    PCollectionTuple result = KeyedPCollectionTuple
        .of(FILES, files.apply("KeyFilesByChecksum", WithKeys.of(LandedFile::checksum).withKeyType(TypeDescriptors.strings())))
        .and(KNOWN, knownChecksums.apply("KeyKnownChecksums", WithKeys.of((String c) -> c).withKeyType(TypeDescriptors.strings())))
        .apply("GroupByChecksum", CoGroupByKey.create())
        .apply("KeepFirstNewFile", ParDo.of(new KeepFirstFn()).withOutputTags(NEW_FILES, TupleTagList.of(MOVES)));
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
      files.sort(Comparator.comparingLong(LandedFile::landedAtMillis).thenComparing(LandedFile::path));
      boolean known = group.getValue().getAll(KNOWN).iterator().hasNext();
      for (int i = 0; i < files.size(); i++) {
        LandedFile file = files.get(i);
        if (i == 0 && !known) {
          out.get(NEW_FILES).output(file);
        } else {
          alreadyIngested.inc();
          out.get(MOVES).output(KV.of(file.path(), file.processedPath()));
        }
      }
    }
  }
}
