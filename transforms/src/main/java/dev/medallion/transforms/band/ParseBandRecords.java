package dev.medallion.transforms.band;

import dev.medallion.core.Counted;
import dev.medallion.core.LayerMetrics;
import dev.medallion.core.quarantine.InvalidRecordException;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.ops.Layer;
import dev.medallion.transforms.grouping.CombineInBuckets;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Bronze rows to silver rows ({@link BandRecordParser}); rows that do not parse go to {@link
 * #FAILURES}. A performance arrives twice when both a setlists request and latest return it: one
 * row per table and key is kept, so no two writers race on one row.
 */
public final class ParseBandRecords
    extends PTransform<PCollection<BandBronzeRow>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;
  public static final TupleTag<BandRow> ROWS = new TupleTag<>() {};
  public static final TupleTag<QuarantinedRecord> FAILURES = new TupleTag<>() {};

  public static ParseBandRecords fromBronze() {
    return new ParseBandRecords();
  }

  @Override
  public PCollectionTuple expand(PCollection<BandBronzeRow> bronze) {
    PCollectionTuple parsed =
        bronze.apply(
            "TypeBandRecords",
            ParDo.of(new ParseFn()).withOutputTags(ROWS, TupleTagList.of(FAILURES)));
    PCollection<BandRow> unique =
        parsed
            .get(ROWS)
            .apply(
                "KeyByTableAndKey",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.strings(),
                            TypeDescriptors.kvs(
                                TypeDescriptor.of(BandRow.class), TypeDescriptors.longs())))
                    .via(row -> KV.of(row.getTable() + "|" + row.getKey(), KV.of(row, 1L))))
            .setCoder(
                KvCoder.of(
                    StringUtf8Coder.of(),
                    KvCoder.of(parsed.get(ROWS).getCoder(), VarLongCoder.of())))
            .apply("KeepOneRowPerKey", CombineInBuckets.perKey(new OneOfFn()))
            .apply("CountMergedRecords", ParDo.of(new CountMergedFn()))
            .apply("CountSilverOut", Counted.out(Layer.SILVER));
    return PCollectionTuple.of(ROWS, unique).and(FAILURES, parsed.get(FAILURES));
  }

  /**
   * The same choice whatever the order: the greater column text (e.g. the later fetched_at), with
   * how many records the key had.
   */
  static final class OneOfFn extends Combine.BinaryCombineFn<KV<BandRow, Long>> {
    private static final long serialVersionUID = 1L;

    @Override
    public KV<BandRow, Long> apply(KV<BandRow, Long> left, KV<BandRow, Long> right) {
      BandRow kept =
          left.getKey().getColumnsJson().compareTo(right.getKey().getColumnsJson()) >= 0
              ? left.getKey()
              : right.getKey();
      return KV.of(kept, left.getValue() + right.getValue());
    }
  }

  /** The kept row; the key's other records count as merged, so the layers still reconcile. */
  static final class CountMergedFn extends DoFn<KV<String, KV<BandRow, Long>>, BandRow> {
    private static final long serialVersionUID = 1L;
    private final Counter merged = LayerMetrics.merged(Layer.SILVER);

    @ProcessElement
    public void process(@Element KV<String, KV<BandRow, Long>> kept, OutputReceiver<BandRow> out) {
      merged.inc(kept.getValue().getValue() - 1);
      out.output(kept.getValue().getKey());
    }
  }

  static final class ParseFn extends DoFn<BandBronzeRow, BandRow> {
    private static final long serialVersionUID = 1L;
    private final Counter recordsIn = LayerMetrics.in(Layer.SILVER);
    private final Counter quarantined = LayerMetrics.quarantined(Layer.SILVER);

    @ProcessElement
    public void process(@Element BandBronzeRow row, MultiOutputReceiver out) {
      recordsIn.inc();
      try {
        out.get(ROWS).output(BandRecordParser.parse(row));
      } catch (InvalidRecordException e) {
        quarantined.inc();
        out.get(FAILURES)
            .output(
                QuarantinedRecord.of(
                    Layer.SILVER,
                    row.getEndpoint() + "/" + row.getNaturalKey(),
                    row.getVersion(),
                    row.describe(),
                    row.getRawJson(),
                    e));
      }
    }
  }
}
