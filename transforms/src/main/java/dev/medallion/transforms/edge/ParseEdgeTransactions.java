package dev.medallion.transforms.edge;

import dev.medallion.core.LayerMetrics;
import dev.medallion.core.quarantine.InvalidRecordException;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.ops.Layer;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/** Bronze records to typed transactions; records that fail validation go to {@link #FAILURES}. */
public final class ParseEdgeTransactions
    extends PTransform<PCollection<BronzeRecord>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;
  public static final TupleTag<EdgeTransaction> TRANSACTIONS = new TupleTag<>() {};
  public static final TupleTag<QuarantinedRecord> FAILURES = new TupleTag<>() {};

  public static ParseEdgeTransactions fromBronze() {
    return new ParseEdgeTransactions();
  }

  @Override
  public PCollectionTuple expand(PCollection<BronzeRecord> bronze) {
    return bronze.apply(
        "ValidateTransactions",
        ParDo.of(new ParseFn()).withOutputTags(TRANSACTIONS, TupleTagList.of(FAILURES)));
  }

  static final class ParseFn extends DoFn<BronzeRecord, EdgeTransaction> {
    private static final long serialVersionUID = 1L;
    private final Counter recordsIn = LayerMetrics.in(Layer.SILVER);
    private final Counter quarantined = LayerMetrics.quarantined(Layer.SILVER);

    @ProcessElement
    public void process(@Element BronzeRecord record, MultiOutputReceiver out) {
      recordsIn.inc();
      try {
        out.get(TRANSACTIONS).output(EdgeTransactionParser.parse(record));
      } catch (InvalidRecordException e) {
        quarantined.inc();
        out.get(FAILURES)
            .output(
                QuarantinedRecord.of(
                        Layer.SILVER,
                        record.getFilePath(),
                        record.getRecordIndex(),
                        record.getId(),
                        record.getRawJson(),
                        e)
                    .withSourceChecksum(record.getChecksum()));
      }
    }
  }
}
