package dev.medallion.transforms.band;

import dev.medallion.transforms.quarantine.QuarantinedRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/** Bronze rows to silver rows ({@link BandRecordParser}); rows that do not parse go to {@link #FAILURES}. */
public final class ParseBandRecords extends PTransform<PCollection<BandBronzeRow>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;
  public static final TupleTag<BandRow> ROWS = new TupleTag<>() {};
  public static final TupleTag<QuarantinedRecord> FAILURES = new TupleTag<>() {};

  public static ParseBandRecords fromBronze() {
    return new ParseBandRecords();
  }

  @Override
  public PCollectionTuple expand(PCollection<BandBronzeRow> bronze) {
    return bronze.apply("TypeBandRecords", ParDo.of(new ParseFn()).withOutputTags(ROWS, TupleTagList.of(FAILURES)));
  }

  static final class ParseFn extends DoFn<BandBronzeRow, BandRow> {
    private static final long serialVersionUID = 1L;
    private final Counter recordsIn = Metrics.counter("silver", "in");
    private final Counter recordsOut = Metrics.counter("silver", "out");
    private final Counter quarantined = Metrics.counter("silver", "quarantined");

    @ProcessElement
    public void process(@Element BandBronzeRow row, MultiOutputReceiver out) {
      recordsIn.inc();
      try {
        out.get(ROWS).output(BandRecordParser.parse(row));
        recordsOut.inc();
      } catch (BandRecordParser.InvalidRecordException e) {
        quarantined.inc();
        out.get(FAILURES).output(QuarantinedRecord.of(
            "silver", row.getEndpoint() + "/" + row.getNaturalKey(), row.getVersion(), row.getRawJson(), e.getMessage(),
            row.describe()));
      }
    }
  }
}
