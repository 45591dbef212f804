package dev.medallion.transforms.edge;

import dev.medallion.core.LayerMetrics;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.ops.ErrorClass;
import dev.medallion.ops.Layer;
import dev.medallion.transforms.grouping.CoGroupInBuckets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.annotation.Nullable;
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
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * One row per transaction id. Silver already holding the id wins; otherwise the record from the
 * earliest-landed file (then path, then position) wins. Every other record with that id goes to
 * {@link #DUPLICATES} with the winner's file in the reason. Deterministic, so re-runs agree.
 */
public final class KeepFirstTransaction
    extends PTransform<PCollection<EdgeTransaction>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;
  public static final TupleTag<EdgeTransaction> UNIQUE = new TupleTag<>() {};
  public static final TupleTag<QuarantinedRecord> DUPLICATES = new TupleTag<>() {};

  private static final TupleTag<EdgeTransaction> CANDIDATES = new TupleTag<>() {};
  private static final TupleTag<String> EXISTING = new TupleTag<>() {};

  /** Transaction id to the bronze id and file of the row silver already holds. */
  private final PCollection<KV<String, KV<String, String>>> existing;

  private KeepFirstTransaction(PCollection<KV<String, KV<String, String>>> existing) {
    this.existing = existing;
  }

  /**
   * @param existingInSilver transaction id to (bronze id, file path) already in silver
   */
  public static KeepFirstTransaction against(
      PCollection<KV<String, KV<String, String>>> existingInSilver) {
    return new KeepFirstTransaction(existingInSilver);
  }

  @Override
  public PCollectionTuple expand(PCollection<EdgeTransaction> transactions) {
    PCollection<KV<String, EdgeTransaction>> keyed =
        transactions.apply(
            "KeyByTransactionId",
            WithKeys.of(EdgeTransaction::getTransactionId).withKeyType(TypeDescriptors.strings()));
    PCollection<KV<String, String>> existingEncoded =
        existing
            .apply("EncodeExistingRows", ParDo.of(new EncodeExistingFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    return KeyedPCollectionTuple.of(CANDIDATES, keyed)
        .and(EXISTING, existingEncoded)
        .apply("GroupByTransactionId", CoGroupInBuckets.create())
        .apply(
            "PickFirst",
            ParDo.of(new PickFirstFn()).withOutputTags(UNIQUE, TupleTagList.of(DUPLICATES)));
  }

  /** Packs (bronze id, file path) into one string so the join's side is a plain KV of strings. */
  static final class EncodeExistingFn
      extends DoFn<KV<String, KV<String, String>>, KV<String, String>> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(
        @Element KV<String, KV<String, String>> row, OutputReceiver<KV<String, String>> out) {
      out.output(KV.of(row.getKey(), row.getValue().getKey() + "\n" + row.getValue().getValue()));
    }
  }

  static final class PickFirstFn extends DoFn<KV<String, CoGbkResult>, EdgeTransaction> {
    private static final long serialVersionUID = 1L;
    private final Counter duplicates = LayerMetrics.quarantined(Layer.SILVER);
    private final Counter out = LayerMetrics.out(Layer.SILVER);

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> group, MultiOutputReceiver receiver) {
      List<EdgeTransaction> candidates = new ArrayList<>();
      group.getValue().getAll(CANDIDATES).forEach(candidates::add);
      if (candidates.isEmpty()) {
        return;
      }
      String existingRow = group.getValue().getOnly(EXISTING, null);
      Holder holder = null;
      if (existingRow != null) {
        String[] parts = existingRow.split("\n", 2);
        holder = new Holder(parts[0], parts[1]);
      }
      Picked picked = pick(candidates, holder);
      if (picked.kept() != null) {
        out.inc();
        receiver.get(UNIQUE).output(picked.kept());
      }
      duplicates.inc(picked.duplicates().size());
      picked.duplicates().forEach(receiver.get(DUPLICATES)::output);
    }
  }

  /** The row silver holds for a transaction id: its bronze id and file. */
  public record Holder(String bronzeId, String filePath) {}

  /**
   * What the rule decided for the candidates of one transaction id: the one to write (if any) and
   * the duplicates.
   */
  public record Picked(@Nullable EdgeTransaction kept, List<QuarantinedRecord> duplicates) {}

  /**
   * The one "first transaction id wins" rule, for batch and continuous runs alike: the row silver
   * already holds wins (its own record is kept again, so a re-run rewrites it unchanged); else the
   * record of the earliest-landed file (then path, then position). Every other candidate is a
   * duplicate, quarantined with the winner's file in the reason.
   *
   * @param holder the row silver holds for the id, or null
   */
  public static Picked pick(List<EdgeTransaction> candidates, @Nullable Holder holder) {
    List<EdgeTransaction> sorted = new ArrayList<>(candidates);
    sorted.sort(FIRST_LANDED);
    Holder winner =
        holder != null || sorted.isEmpty()
            ? holder
            : new Holder(sorted.get(0).getBronzeId(), sorted.get(0).getFilePath());
    EdgeTransaction kept = null;
    List<QuarantinedRecord> duplicates = new ArrayList<>();
    for (EdgeTransaction candidate : sorted) {
      if (kept == null && candidate.getBronzeId().equals(winner.bronzeId())) {
        kept = candidate;
      } else {
        duplicates.add(duplicateOf(candidate, winner.filePath()));
      }
    }
    return new Picked(kept, duplicates);
  }

  private static final Comparator<EdgeTransaction> FIRST_LANDED =
      Comparator.comparingLong(EdgeTransaction::getLandedAtMillis)
          .thenComparing(EdgeTransaction::getFilePath)
          .thenComparingInt(EdgeTransaction::getRecordIndex);

  /**
   * The quarantine record of a transaction whose id an earlier file already delivered: one rule for
   * batch and continuous runs.
   */
  static QuarantinedRecord duplicateOf(EdgeTransaction loser, String winnerFile) {
    return QuarantinedRecord.of(
        Layer.SILVER,
        ErrorClass.DUPLICATE,
        loser.getFilePath(),
        loser.getRecordIndex(),
        loser.getBronzeId(),
        loser.getPayloadJson(),
        "duplicate transaction_id "
            + loser.getTransactionId()
            + ": already taken from "
            + winnerFile);
  }
}
