package dev.medallion.transforms.ingest;

import dev.medallion.core.LayerMetrics.RunMetric;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.io.files.LandedFile;
import dev.medallion.transforms.RecordCoders;
import java.io.IOException;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Splits each landed file into bronze rows by {@link BronzeFiles#split}: the rows under {@link
 * #records()}, what could not be read under {@link #FAILURES}, each file's ledger row under {@link
 * #LEDGER} and its move (source path to destination) under {@link #MOVES}.
 */
public final class SplitFiles<R> extends PTransform<PCollection<LandedFile>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;
  public static final TupleTag<QuarantinedRecord> FAILURES = new TupleTag<>() {};
  public static final TupleTag<LedgerEntry> LEDGER = new TupleTag<>() {};
  public static final TupleTag<KV<String, String>> MOVES = new TupleTag<>() {};

  private final BronzeFiles<R> files;
  @Nullable private final String runId;
  private final TupleTag<R> records = new TupleTag<>();

  private SplitFiles(BronzeFiles<R> files, @Nullable String runId) {
    this.files = files;
    this.runId = runId;
  }

  public static <R> SplitFiles<R> into(BronzeFiles<R> files, @Nullable String runId) {
    return new SplitFiles<>(files, runId);
  }

  /** The tag of the bronze rows in the output. */
  public TupleTag<R> records() {
    return records;
  }

  @Override
  public PCollectionTuple expand(PCollection<LandedFile> landed) {
    PCollectionTuple result =
        landed.apply(
            "SplitFilesIntoRecords",
            ParDo.of(new SplitFileFn<>(files, runId, records))
                .withOutputTags(records, TupleTagList.of(FAILURES).and(LEDGER).and(MOVES)));
    result.get(records).setCoder(RecordCoders.of(landed.getPipeline(), files.recordType()));
    result.get(LEDGER).setCoder(SerializableCoder.of(LedgerEntry.class));
    result.get(MOVES).setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    return result;
  }

  /**
   * Copies of files read elsewhere ({@link SkipIngestedFiles#REPEATS}): a copy of a refused file is
   * refused again with a quarantine row of its own under {@link #FAILURES}; a copy of a readable
   * file only moves to processed/ (its records are the other copy's). Moves under {@link #MOVES}.
   */
  public static <R> PTransform<PCollection<LandedFile>, PCollectionTuple> repeats(
      BronzeFiles<R> files, @Nullable String runId) {
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollectionTuple expand(PCollection<LandedFile> copies) {
        PCollectionTuple result =
            copies.apply(
                "SplitRepeatedFiles",
                ParDo.of(new SplitRepeatFn<>(files, runId))
                    .withOutputTags(MOVES, TupleTagList.of(FAILURES)));
        result.get(MOVES).setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
        return result;
      }
    };
  }

  static final class SplitFileFn<R> extends DoFn<LandedFile, R> {
    private static final long serialVersionUID = 1L;
    private final BronzeFiles<R> files;
    @Nullable private final String runId;
    private final TupleTag<R> records;
    private final BronzeFiles.Tally tally = new BronzeFiles.Tally();

    SplitFileFn(BronzeFiles<R> files, @Nullable String runId, TupleTag<R> records) {
      this.files = files;
      this.runId = runId;
      this.records = records;
    }

    @ProcessElement
    public void process(@Element LandedFile file, MultiOutputReceiver out) throws IOException {
      BronzeFiles.Split<R> split = files.split(file, runId);
      tally.count(file, split);
      split.failures().forEach(out.get(FAILURES)::output);
      split.records().forEach(out.get(records)::output);
      out.get(LEDGER).output(split.ledger());
      out.get(MOVES).output(KV.of(file.path(), split.destination()));
    }
  }

  static final class SplitRepeatFn<R> extends DoFn<LandedFile, KV<String, String>> {
    private static final long serialVersionUID = 1L;
    private final BronzeFiles<R> files;
    @Nullable private final String runId;
    private final BronzeFiles.Tally tally = new BronzeFiles.Tally();
    private final Counter alreadyIngested = RunMetric.FILES_ALREADY_INGESTED.counter();

    SplitRepeatFn(BronzeFiles<R> files, @Nullable String runId) {
      this.files = files;
      this.runId = runId;
    }

    @ProcessElement
    public void process(@Element LandedFile file, MultiOutputReceiver out) throws IOException {
      BronzeFiles.Split<R> split = files.split(file, runId);
      if (split.ledger().status().belongsInQuarantine()) {
        tally.count(file, split);
        split.failures().forEach(out.get(FAILURES)::output);
      } else {
        alreadyIngested.inc();
      }
      out.get(MOVES).output(KV.of(file.path(), split.destination()));
    }
  }
}
