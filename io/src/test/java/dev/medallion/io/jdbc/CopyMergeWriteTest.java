package dev.medallion.io.jdbc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.medallion.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

public class CopyMergeWriteTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Before
  public void createTable() {
    TestDatabase.execute("CREATE SCHEMA IF NOT EXISTS sink_test");
    TestDatabase.execute("DROP TABLE IF EXISTS sink_test.items");
    TestDatabase.execute(
        "CREATE TABLE sink_test.items (id text PRIMARY KEY, body text, payload jsonb, amount numeric(10,2),"
            + " at timestamptz, note text DEFAULT 'kept')");
  }

  private void write(List<KV<String, String>> rows, int batchSize) {
    pipeline
        .apply(Create.of(rows).withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        .apply(
            CopyMergeWrite.<KV<String, String>>into(
                    TestDatabase.target(),
                    "sink_test.items",
                    List.of("id", "body", "payload", "amount", "at"),
                    "ON CONFLICT (id) DO NOTHING",
                    kv ->
                        new Object[] {
                          kv.getKey(),
                          kv.getValue(),
                          "{\"k\": \"" + kv.getKey() + "\"}",
                          kv.getKey().equals("c") ? null : new BigDecimal("12.50"),
                          OffsetDateTime.parse("2024-06-18T10:02:11Z")
                        })
                .withBatchSize(batchSize));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void copiesAwkwardTextExactlyAndMergesIdempotently() {
    List<KV<String, String>> rows =
        List.of(
            KV.of("a", "tab\there"),
            KV.of("b", "line\nbreak and back\\slash"),
            KV.of("c", "\\N is not null"),
            KV.of("d", "ünïcödé"),
            KV.of("e", "emoji 😀, a lone \uD83D half"));
    write(rows, 2);
    assertEquals(
        List.of(
            "a|tab\there|{\"k\": \"a\"}|12.50|2024-06-18 10:02:11+00|kept",
            "b|line\nbreak and back\\slash|{\"k\": \"b\"}|12.50|2024-06-18 10:02:11+00|kept",
            "c|\\N is not null|{\"k\": \"c\"}|null|2024-06-18 10:02:11+00|kept",
            "d|ünïcödé|{\"k\": \"d\"}|12.50|2024-06-18 10:02:11+00|kept",
            "e|emoji 😀, a lone ? half|{\"k\": \"e\"}|12.50|2024-06-18 10:02:11+00|kept"),
        TestDatabase.rows("SELECT * FROM sink_test.items ORDER BY id"));
  }

  @Test
  public void aSecondWriteOfTheSameRowsAddsNothing() {
    TestDatabase.execute("INSERT INTO sink_test.items (id, body) VALUES ('a', 'already here')");
    write(List.of(KV.of("a", "new"), KV.of("b", "new")), 1000);
    assertEquals(
        List.of("a|already here", "b|new"),
        TestDatabase.rows("SELECT id, body FROM sink_test.items ORDER BY id"));
  }

  @Test
  public void fillsEveryBatchButTheLastOfEachWriter() {
    // Five separate sources of five rows: at least five bundles, so per-bundle batches would be 5
    // rows each.
    PCollectionList<KV<String, String>> sources = PCollectionList.empty(pipeline);
    for (int source = 0; source < 5; source++) {
      List<KV<String, String>> rows = new java.util.ArrayList<>();
      for (int i = 0; i < 5; i++) {
        rows.add(KV.of("k" + source + i, "v" + i));
      }
      sources =
          sources.and(
              pipeline.apply(
                  "Source" + source,
                  Create.of(rows)
                      .withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))));
    }
    sources
        .apply(Flatten.pCollections())
        .apply(
            CopyMergeWrite.<KV<String, String>>into(
                    TestDatabase.target(),
                    "sink_test.items",
                    List.of("id", "body"),
                    "ON CONFLICT (id) DO NOTHING",
                    kv -> new Object[] {kv.getKey(), kv.getValue()})
                .withBatchSize(10)
                .withWriters(1));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    DistributionResult batches = batchSizes(result);
    // 25 rows, one writer, batches of 10: 10 + 10 + 5.
    assertEquals(
        List.of(3L, 25L, 5L, 10L),
        List.of(batches.getCount(), batches.getSum(), batches.getMin(), batches.getMax()));
    assertEquals(List.of("25"), TestDatabase.rows("SELECT count(*) FROM sink_test.items"));
  }

  @Test
  public void largeBundlesWriteTheirFullBatchesAndTheRestStillFillsAcrossBundles() {
    // GenerateSequence hands out bundles of many rows: their full batches are written inside the
    // bundle, and what is left of each bundle is batched with the rest of the others.
    int rows = 2_000;
    int batchSize = 150;
    int writers = 2;
    pipeline
        .apply(GenerateSequence.from(0).to(rows))
        .apply(
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via(i -> KV.of("k" + i, "v" + i)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply(bodies().withBatchSize(batchSize).withWriters(writers));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    DistributionResult batches = batchSizes(result);
    assertEquals(rows, batches.getSum());
    assertEquals(batchSize, batches.getMax());
    // 13 full batches hold 1,950 rows; the other 50 make at most one part-filled batch per writer.
    assertTrue(batches.getCount() + " batches", batches.getCount() <= rows / batchSize + writers);
    assertEquals(
        List.of(String.valueOf(rows)), TestDatabase.rows("SELECT count(*) FROM sink_test.items"));
  }

  @Test
  public void aBatchThatMeetsAnExistingKeyIsUndoneAndMerged() {
    TestDatabase.execute("INSERT INTO sink_test.items (id, body) VALUES ('a', 'already here')");
    PipelineResult result =
        pipelineWriting(List.of(KV.of("a", "new"), KV.of("b", "new")), bodies().withWriters(1));
    assertEquals(1L, mergedBatches(result));
    assertEquals(
        List.of("a|already here", "b|new"),
        TestDatabase.rows("SELECT id, body FROM sink_test.items ORDER BY id"));
  }

  @Test
  public void aBatchOfNewKeysIsCopiedStraightIn() {
    TestDatabase.execute("INSERT INTO sink_test.items (id, body) VALUES ('a', 'already here')");
    PipelineResult result =
        pipelineWriting(List.of(KV.of("c", "new"), KV.of("d", "new")), bodies().withWriters(1));
    assertEquals(0L, mergedBatches(result));
    assertEquals(
        List.of("a|already here", "c|new", "d|new"),
        TestDatabase.rows("SELECT id, body FROM sink_test.items ORDER BY id"));
  }

  private static CopyMergeWrite<KV<String, String>> bodies() {
    return CopyMergeWrite.<KV<String, String>>into(
        TestDatabase.target(),
        "sink_test.items",
        List.of("id", "body"),
        "ON CONFLICT (id) DO NOTHING",
        kv -> new Object[] {kv.getKey(), kv.getValue()});
  }

  private static DistributionResult batchSizes(PipelineResult result) {
    return result
        .metrics()
        .queryMetrics(MetricsFilter.builder().build())
        .getDistributions()
        .iterator()
        .next()
        .getAttempted();
  }

  private static long mergedBatches(PipelineResult result) {
    long merged = 0;
    for (MetricResult<Long> counter :
        result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      if (counter.getName().getName().endsWith("_batches_merged")) {
        merged += counter.getAttempted();
      }
    }
    return merged;
  }

  @Test
  public void updatesOnlyRowsThatExistAndDiffer() {
    TestDatabase.execute(
        "INSERT INTO sink_test.items (id, body, note) VALUES ('a', 'old', 'x'), ('b', 'same', 'y')");
    pipelineWriting(
        List.of(KV.of("a", "new"), KV.of("b", "same"), KV.of("z", "nowhere")),
        CopyMergeWrite.<KV<String, String>>updating(
            TestDatabase.target(),
            "sink_test.items",
            List.of("id"),
            List.of("body"),
            kv -> new Object[] {kv.getKey(), kv.getValue()}));
    assertEquals(
        List.of("a|new|x", "b|same|y"),
        TestDatabase.rows("SELECT id, body, note FROM sink_test.items ORDER BY id"));
  }

  @Test
  public void theUpdateTouchesOnlyRowsWhoseValuesChange() {
    CopyMergeWrite<KV<String, String>> update =
        CopyMergeWrite.updating(
            TestDatabase.target(),
            "sink_test.items",
            List.of("id"),
            List.of("body", "note"),
            kv -> new Object[0]);
    assertEquals(
        "UPDATE sink_test.items AS t SET body = s.body, note = s.note FROM "
            + CopyMergeWrite.stagingTable("sink_test.items", List.of("id", "body", "note"))
            + " AS s WHERE t.id = s.id AND (t.body, t.note) IS DISTINCT FROM (s.body, s.note)",
        update.mergeStatement());
  }

  private PipelineResult pipelineWriting(
      List<KV<String, String>> rows, CopyMergeWrite<KV<String, String>> sink) {
    pipeline
        .apply(Create.of(rows).withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        .apply(sink);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    return result;
  }

  @Test(expected = IllegalArgumentException.class)
  public void rejectsATableNameThatIsNotPlain() {
    CopyMergeWrite.into(
        TestDatabase.target(), "items; DROP TABLE x", List.of("id"), "", kv -> new Object[0]);
  }
}
