package dev.medallion.transforms.band;

import dev.medallion.core.Counted;
import dev.medallion.core.LayerMetrics;
import dev.medallion.core.quarantine.InvalidRecordException;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.ops.Layer;
import dev.medallion.transforms.grouping.CombineInBuckets;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
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
                WithKeys.of((BandRow row) -> row.getTable() + "|" + row.getKey())
                    .withKeyType(TypeDescriptors.strings()))
            .apply("KeepOneRowPerKey", CombineInBuckets.perKey(new OneOfFn()))
            .apply("DropKeys", Values.create())
            .apply("CountSilverOut", Counted.out(Layer.SILVER));
    return PCollectionTuple.of(ROWS, unique).and(FAILURES, parsed.get(FAILURES));
  }

  /** The same choice whatever the order: the greater column text (e.g. the later fetched_at). */
  static final class OneOfFn extends Combine.BinaryCombineFn<BandRow> {
    private static final long serialVersionUID = 1L;

    @Override
    public BandRow apply(BandRow left, BandRow right) {
      return left.getColumnsJson().compareTo(right.getColumnsJson()) >= 0 ? left : right;
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
