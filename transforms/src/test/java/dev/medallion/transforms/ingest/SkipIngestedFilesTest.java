package dev.medallion.transforms.ingest;

import dev.medallion.io.files.Checksums;
import dev.medallion.io.files.LandedFile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.Rule;
import org.junit.Test;

public class SkipIngestedFilesTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final long EARLY = Instant.parse("2024-06-18T10:00:00Z").toEpochMilli();
  private static final long LATE = Instant.parse("2024-06-19T09:00:00Z").toEpochMilli();

  private static LandedFile file(String name, String text, long landedAt) {
    return LandedFile.create("landing/", name, text.getBytes(StandardCharsets.UTF_8), landedAt);
  }

  private static KV<String, String> ingested(String text) {
    return KV.of(Checksums.md5Hex(text.getBytes(StandardCharsets.UTF_8)), "ingested");
  }

  private PCollectionTuple run(List<LandedFile> files, List<KV<String, String>> known) {
    KvCoder<String, String> coder = KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    PCollection<KV<String, String>> checksums =
        known.isEmpty()
            ? p.apply("NoneKnown", Create.empty(coder))
            : p.apply("Known", Create.of(known).withCoder(coder));
    return p.apply("Files", Create.of(files).withCoder(SerializableCoder.of(LandedFile.class)))
        .apply(SkipIngestedFiles.knownTo(checksums));
  }

  @Test
  public void filesInTheLedgerAreOnlyMoved() {
    LandedFile a = file("pi5-a_1.json", "{\"transaction_id\":\"a\"}", EARLY);
    LandedFile b = file("pi5-b_1.json", "{\"transaction_id\":\"b\"}", LATE);

    PCollectionTuple out =
        run(
            List.of(a, b),
            List.of(
                ingested("{\"transaction_id\":\"a\"}"),
                ingested("{\"transaction_id\":\"b\"}"),
                ingested("a file that did not land this time")));

    PAssert.that(out.get(SkipIngestedFiles.NEW_FILES)).empty();
    PAssert.that(out.get(SkipIngestedFiles.MOVES))
        .containsInAnyOrder(
            List.of(
                KV.of(
                    "landing/pi5-a_1.json",
                    "landing/processed/20240618/pi5-a_1.json"), // landed 2024-06-18
                KV.of(
                    "landing/pi5-b_1.json",
                    "landing/processed/20240619/pi5-b_1.json"))); // landed 2024-06-19
    p.run().waitUntilFinish();
  }

  @Test
  public void identicalNewFilesKeepTheEarliestLandedAndRepeatTheOthers() {
    String same = "[{\"transaction_id\":\"s\"}]";
    LandedFile copyLate = file("pi5-a_copy.json", same, LATE);
    LandedFile original = file("pi5-z_orig.json", same, EARLY);
    LandedFile unknown = file("pi5-c_new.json", "[{\"transaction_id\":\"n\"}]", LATE);

    PCollectionTuple out = run(List.of(copyLate, original, unknown), List.of());

    // The earlier landed copy wins although its path sorts after the other; the unknown file is new
    // too.
    PAssert.that(out.get(SkipIngestedFiles.NEW_FILES)).containsInAnyOrder(original, unknown);
    // The later copy is read again (its content could be refused, and then it needs a quarantine
    // row of its own); new files are moved once their ledger row is written.
    PAssert.that(out.get(SkipIngestedFiles.REPEATS)).containsInAnyOrder(copyLate);
    PAssert.that(out.get(SkipIngestedFiles.MOVES)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  public void identicalFilesLandedTogetherKeepTheFirstPath() {
    String same = "{\"transaction_id\":\"t\"}";
    LandedFile b = file("b_1.json", same, EARLY);
    LandedFile a = file("a_1.json", same, EARLY);

    PCollectionTuple out = run(List.of(b, a), List.of());

    // Same landing time: landing/a_1.json < landing/b_1.json.
    PAssert.that(out.get(SkipIngestedFiles.NEW_FILES)).containsInAnyOrder(a);
    PAssert.that(out.get(SkipIngestedFiles.REPEATS)).containsInAnyOrder(b);
    p.run().waitUntilFinish();
  }

  @Test
  public void filesTheLedgerQuarantinedOrSkippedAreReadAgainAsRepeats() {
    LandedFile broken = file("pi5-a_broken.json", "[{\"transaction_id\":", EARLY);
    LandedFile notes = file("notes.txt", "not records", LATE);
    LandedFile requeued = file("pi5-a_replay.json", "[{\"transaction_id\":\"r\"}]", LATE);

    PCollectionTuple out =
        run(
            List.of(broken, notes, requeued),
            List.of(KV.of(broken.checksum(), "quarantined"), KV.of(notes.checksum(), "skipped")));

    // A requeued file is not in the handled list (FileLedger.handledFiles leaves it out): it is
    // new.
    PAssert.that(out.get(SkipIngestedFiles.NEW_FILES)).containsInAnyOrder(requeued);
    // Each refused copy gets its own quarantine row and its move from SplitFiles.repeats.
    PAssert.that(out.get(SkipIngestedFiles.REPEATS)).containsInAnyOrder(broken, notes);
    PAssert.that(out.get(SkipIngestedFiles.MOVES)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  public void anUnknownFileIsNewAndNotMoved() {
    LandedFile fresh = file("pi5-a_2.json", "{\"transaction_id\":\"f\"}", EARLY);

    PCollectionTuple out = run(List.of(fresh), List.of(ingested("something else")));

    PAssert.that(out.get(SkipIngestedFiles.NEW_FILES)).containsInAnyOrder(fresh);
    PAssert.that(out.get(SkipIngestedFiles.MOVES)).empty();
    p.run().waitUntilFinish();
  }
}
