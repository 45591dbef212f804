package dev.medallion.transforms.edge;

import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.ops.ErrorClass;
import dev.medallion.ops.Layer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.Rule;
import org.junit.Test;

public class KeepFirstTransactionTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Coder<KV<String, KV<String, String>>> EXISTING_CODER =
      KvCoder.of(StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
  private static final long T0 = Instant.parse("2024-06-18T10:00:00Z").toEpochMilli();

  static EdgeTransaction tx(String id, String bronzeId, String filePath, int index, long landedAt) {
    return EdgeTransaction.builder()
        .setTransactionId(id)
        .setStoreId("s1")
        .setDeviceId("pi5-a")
        .setTimestampMillis(T0)
        .setAmount(new BigDecimal("1.00"))
        .setCurrency("EUR")
        .setPaymentMethod("card")
        .setPayloadJson("{\"transaction_id\":\"" + id + "\",\"from\":\"" + bronzeId + "\"}")
        .setBronzeId(bronzeId)
        .setFilePath(filePath)
        .setRecordIndex(index)
        .setLandedAtMillis(landedAt)
        .setIngestedAtMillis(0L)
        .build();
  }

  private static QuarantinedRecord duplicate(EdgeTransaction loser, String winnerFile) {
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

  private PCollectionTuple run(
      List<EdgeTransaction> candidates, List<KV<String, KV<String, String>>> existing)
      throws Exception {
    PCollection<KV<String, KV<String, String>>> inSilver =
        existing.isEmpty()
            ? p.apply("NoSilver", Create.empty(EXISTING_CODER))
            : p.apply("Silver", Create.of(existing).withCoder(EXISTING_CODER));
    return p.apply("Candidates", Create.of(candidates).withCoder(EdgeTransaction.Coder.of()))
        .apply(KeepFirstTransaction.against(inSilver));
  }

  @Test
  public void earliestLandedFileWinsADuplicateId() throws Exception {
    // T1 is in a.json (landed T0 + 60 s) and in b.json (landed T0): b.json landed first, so it wins
    // even though "a" sorts before "b" and it comes first in the input.
    EdgeTransaction fromA = tx("T1", "bronze-a", "landing/a.json", 0, T0 + 60_000);
    EdgeTransaction fromB = tx("T1", "bronze-b", "landing/b.json", 4, T0);

    PCollectionTuple out = run(List.of(fromA, fromB), List.of());

    PAssert.that(out.get(KeepFirstTransaction.UNIQUE)).containsInAnyOrder(fromB);
    PAssert.that(out.get(KeepFirstTransaction.DUPLICATES))
        .containsInAnyOrder(
            // "duplicate transaction_id T1: already taken from landing/b.json"
            duplicate(fromA, "landing/b.json"));
    p.run().waitUntilFinish();
  }

  @Test
  public void sameLandingTimeFallsBackToPathThenPosition() throws Exception {
    // All landed at T0. T2: path landing/a.json < landing/b.json -> a wins. T3: same file, index 1
    // < 7 -> 1 wins.
    EdgeTransaction t2InB = tx("T2", "bronze-b2", "landing/b.json", 0, T0);
    EdgeTransaction t2InA = tx("T2", "bronze-a2", "landing/a.json", 9, T0);
    EdgeTransaction t3At7 = tx("T3", "bronze-c7", "landing/c.json", 7, T0);
    EdgeTransaction t3At1 = tx("T3", "bronze-c1", "landing/c.json", 1, T0);

    PCollectionTuple out = run(List.of(t2InB, t2InA, t3At7, t3At1), List.of());

    PAssert.that(out.get(KeepFirstTransaction.UNIQUE)).containsInAnyOrder(t2InA, t3At1);
    PAssert.that(out.get(KeepFirstTransaction.DUPLICATES))
        .containsInAnyOrder(duplicate(t2InB, "landing/a.json"), duplicate(t3At7, "landing/c.json"));
    p.run().waitUntilFinish();
  }

  @Test
  public void silverAlreadyHoldingTheIdWins() throws Exception {
    String oldFile = "landing/processed/20240601/old.json";
    String otherFile = "landing/processed/20240602/other.json";
    // T4: silver holds it from bronze-old, and bronze-old is a candidate again (a full reprocess):
    // it is written again (UNIQUE), while a later copy in new.json is a duplicate of the silver
    // row.
    EdgeTransaction t4Again = tx("T4", "bronze-old", oldFile, 2, T0 - 86_400_000L);
    EdgeTransaction t4New = tx("T4", "bronze-new4", "landing/new.json", 0, T0);
    // T5: silver holds it from another bronze row that is not a candidate: the new one is a
    // duplicate,
    // even though it is the only candidate, and the reason names the file silver took it from.
    EdgeTransaction t5New = tx("T5", "bronze-new5", "landing/new.json", 1, T0);
    // T6: only in silver, no candidate: nothing comes out.
    List<KV<String, KV<String, String>>> existing =
        List.of(
            KV.of("T4", KV.of("bronze-old", oldFile)),
            KV.of("T5", KV.of("bronze-other", otherFile)),
            KV.of("T6", KV.of("bronze-six", otherFile)));

    PCollectionTuple out = run(List.of(t4New, t4Again, t5New), existing);

    PAssert.that(out.get(KeepFirstTransaction.UNIQUE)).containsInAnyOrder(t4Again);
    PAssert.that(out.get(KeepFirstTransaction.DUPLICATES))
        .containsInAnyOrder(duplicate(t4New, oldFile), duplicate(t5New, otherFile));
    p.run().waitUntilFinish();
  }

  @Test
  public void silverWinsEvenOverAnEarlierLandedCandidate() throws Exception {
    // T7 landed earlier in early.json, but silver already holds it from bronze-late: silver wins.
    EdgeTransaction early = tx("T7", "bronze-early", "landing/early.json", 0, T0 - 60_000);
    EdgeTransaction late = tx("T7", "bronze-late", "landing/late.json", 0, T0);

    PCollectionTuple out =
        run(List.of(early, late), List.of(KV.of("T7", KV.of("bronze-late", "landing/late.json"))));

    PAssert.that(out.get(KeepFirstTransaction.UNIQUE)).containsInAnyOrder(late);
    PAssert.that(out.get(KeepFirstTransaction.DUPLICATES))
        .containsInAnyOrder(duplicate(early, "landing/late.json"));
    p.run().waitUntilFinish();
  }

  @Test
  public void uniqueIdsPassThrough() throws Exception {
    EdgeTransaction a = tx("U1", "bronze-u1", "landing/u.json", 0, T0);
    EdgeTransaction b = tx("U2", "bronze-u2", "landing/u.json", 1, T0);
    EdgeTransaction c = tx("U3", "bronze-u3", "landing/v.json", 0, T0 + 1);

    PCollectionTuple out =
        run(List.of(a, b, c), List.of(KV.of("OTHER", KV.of("bronze-x", "landing/x.json"))));

    PAssert.that(out.get(KeepFirstTransaction.UNIQUE)).containsInAnyOrder(a, b, c);
    PAssert.that(out.get(KeepFirstTransaction.DUPLICATES)).empty();
    p.run().waitUntilFinish();
  }
}
