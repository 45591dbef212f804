package dev.medallion.io.jdbc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.ops.ErrorClass;
import dev.medallion.ops.Layer;
import dev.medallion.ops.LogText;
import dev.medallion.testing.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * Rows the database refuses: set aside with its message while the rest of their batch lands, and
 * only for data errors; a failed batch's message stays short.
 */
public class BatchWriteTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final String HUGE_ID = incompressible(10_000);

  @Before
  public void createTables() {
    TestDatabase.execute("CREATE SCHEMA IF NOT EXISTS sink_test");
    TestDatabase.execute("DROP TABLE IF EXISTS sink_test.rejects, sink_test.scores");
    TestDatabase.execute(
        "CREATE TABLE sink_test.rejects (id text PRIMARY KEY, body text, amount numeric(10,2))");
    TestDatabase.execute(
        "CREATE TABLE sink_test.scores (id text PRIMARY KEY, score integer CHECK (score >= 0))");
  }

  /**
   * Letters that do not compress: a key of this text needs an index entry as long as itself (10,000
   * letters: 10,016 bytes, over PostgreSQL's 8,191).
   */
  public static String incompressible(int length) {
    Random random = new Random(7);
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) ('a' + random.nextInt(26)));
    }
    return text.toString();
  }

  /** Seven rows "k0".."k6" with body "v0".."v6"; row 3 gets {@code badId}. */
  private PCollection<KV<String, String>> sevenRows(String badId) {
    List<KV<String, String>> rows = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      rows.add(KV.of(i == 3 ? badId : "k" + i, "v" + i));
    }
    return pipeline.apply(
        Create.of(rows).withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())));
  }

  private static CopyMergeWrite<KV<String, String>> copyMerge() {
    return CopyMergeWrite.<KV<String, String>>into(
            TestDatabase.target(),
            "sink_test.rejects",
            List.of("id", "body"),
            "ON CONFLICT (id) DO NOTHING",
            kv -> new Object[] {kv.getKey(), kv.getValue()})
        .withBatchSize(7)
        .withWriters(1);
  }

  /** Scores of 10, and -1 (refused by the table's check) for the key "minus". */
  private static BatchWrite<KV<String, String>> scores() {
    return BatchWrite.rows(
        TestDatabase.target(),
        "sink_test.scores",
        "INSERT INTO sink_test.scores (id, score) VALUES (?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET score = excluded.score",
        (ps, kv) -> {
          ps.setString(1, kv.getKey());
          ps.setInt(2, kv.getKey().equals("minus") ? -1 : 10);
        });
  }

  /** The row's body names its index; the key may be huge, so the record keeps only its length. */
  private static QuarantinedRecord quarantined(KV<String, String> row, String message) {
    return QuarantinedRecord.of(
        Layer.SILVER,
        ErrorClass.REJECTED_BY_SINK,
        "test",
        Integer.parseInt(row.getValue().substring(1)),
        null,
        row.getKey().length() + " characters",
        message);
  }

  private static PCollection<String> described(PCollectionTuple result) {
    return result
        .get(SinkRejects.REJECTED)
        .apply(
            MapElements.into(TypeDescriptors.strings())
                .via(
                    q ->
                        q.getRecordIndex()
                            + "|"
                            + q.getErrorClass()
                            + "|"
                            + q.getPayload()
                            + "|"
                            + q.getReason()));
  }

  @Test
  public void aRowOnlyTheDatabaseRefusesIsSetAsideAndTheRestOfItsBatchLands() {
    PCollectionTuple result =
        sevenRows(HUGE_ID).apply(copyMerge().withRejects(BatchWriteTest::quarantined));
    PAssert.that(described(result))
        .containsInAnyOrder(
            "3|rejected_by_sink|10000 characters|sink_test.rejects refused the row:"
                + " index row requires 10016 bytes, maximum size is 8191 [SQLState 54000]");
    pipeline.run().waitUntilFinish();
    assertEquals(
        List.of("k0|v0", "k1|v1", "k2|v2", "k4|v4", "k5|v5", "k6|v6"),
        TestDatabase.rows("SELECT id, body FROM sink_test.rejects ORDER BY id"));
  }

  @Test
  public void anUpsertBatchKeepsItsGoodRowsToo() {
    PCollectionTuple result =
        sevenRows("minus")
            .apply(
                scores().withBatchSize(7).withWriters(1).withRejects(BatchWriteTest::quarantined));
    PAssert.that(described(result))
        .containsInAnyOrder(
            "3|rejected_by_sink|5 characters|sink_test.scores refused the row: new row for relation"
                + " \"scores\" violates check constraint \"scores_score_check\" (Failing row"
                + " contains (minus, -1).) [SQLState 23514]");
    pipeline.run().waitUntilFinish();
    assertEquals(
        List.of("k0|10", "k1|10", "k2|10", "k4|10", "k5|10", "k6|10"),
        TestDatabase.rows("SELECT id, score FROM sink_test.scores ORDER BY id"));
  }

  @Test
  public void aBadRowInABatchFilledInsideItsBundleIsSetAsideToo() {
    // GenerateSequence hands out bundles of many rows, so batches fill inside the bundle.
    PCollectionTuple result =
        pipeline
            .apply(GenerateSequence.from(0).to(1_000))
            .apply(
                "Rows",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                    .via(i -> KV.of(i == 500 ? "minus" : "k" + i, "v" + i)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
            .apply(
                scores()
                    .withBatchSize(100)
                    .withWriters(1)
                    .withRejects(BatchWriteTest::quarantined));
    PAssert.that(described(result))
        .containsInAnyOrder(
            "500|rejected_by_sink|5 characters|sink_test.scores refused the row: new row for"
                + " relation \"scores\" violates check constraint \"scores_score_check\" (Failing"
                + " row contains (minus, -1).) [SQLState 23514]");
    pipeline.run().waitUntilFinish();
    assertEquals(
        List.of("999|0"),
        TestDatabase.rows(
            "SELECT count(*), count(*) FILTER (WHERE id = 'minus') FROM sink_test.scores"));
  }

  @Test
  public void aTransientErrorFailsTheBatchInsteadOfSettingRowsAside() {
    // A serialization failure (as under concurrent writers) for one row: trying again may work, so
    // nothing is quarantined and the bundle fails for the runner to retry.
    TestDatabase.execute(
        "CREATE OR REPLACE FUNCTION sink_test.serialization_failure() RETURNS trigger AS $$"
            + " BEGIN IF NEW.id = 'conflict' THEN"
            + " RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001'; END IF;"
            + " RETURN NEW; END $$ LANGUAGE plpgsql");
    TestDatabase.execute(
        "CREATE TRIGGER fail_one BEFORE INSERT ON sink_test.rejects FOR EACH ROW"
            + " EXECUTE FUNCTION sink_test.serialization_failure()");
    PCollectionTuple result =
        sevenRows("conflict").apply(copyMerge().withRejects(BatchWriteTest::quarantined));
    PAssert.that(result.get(SinkRejects.REJECTED)).empty();
    try {
      pipeline.run().waitUntilFinish();
      fail("a serialization failure must fail the run");
    } catch (RuntimeException e) {
      assertEquals("40001", sqlStateIn(e));
    }
    assertEquals(List.of("0"), TestDatabase.rows("SELECT count(*) FROM sink_test.rejects"));
  }

  @Test
  public void aFailedBatchSaysWhyInShortLines() {
    // PostgreSQL quotes the refused value: invalid input syntax for type numeric: "xxx...".
    String huge = "x".repeat(10_000);
    pipeline
        .apply(Create.of(List.of(huge)).withCoder(StringUtf8Coder.of()))
        .apply(
            CopyMergeWrite.<String>into(
                TestDatabase.target(),
                "sink_test.rejects",
                List.of("id", "amount"),
                "ON CONFLICT (id) DO NOTHING",
                text -> new Object[] {"k", text}));
    try {
      pipeline.run().waitUntilFinish();
      fail("a refused batch without withRejects() fails the run");
    } catch (RuntimeException e) {
      boolean sawReason = false;
      for (Throwable t = e; t != null; t = t.getCause()) {
        String message = String.valueOf(t.getMessage());
        for (String line : message.split("\n")) {
          assertTrue(
              "a line of " + line.length() + " characters: " + line.substring(0, 80),
              line.length() <= LogText.MAX_LINE_CHARS + 100);
        }
        assertFalse(message.contains("x".repeat(LogText.MAX_LINE_CHARS + 1)));
        sawReason |= message.contains("invalid input syntax for type numeric");
      }
      assertTrue("the reason is still said", sawReason);
    }
  }

  @Test
  public void dataErrorsAreTheRowsFaultTransientOnesAreNot() {
    for (String state : List.of("22001", "22008", "22P02", "23502", "23514", "54000")) {
      assertTrue(state, SinkErrors.isDataError(new SQLException("x", state)));
    }
    for (String state : List.of("08006", "08003", "40001", "40P01", "57P01", "53300")) {
      assertFalse(state, SinkErrors.isDataError(new SQLException("x", state)));
    }
    assertFalse(SinkErrors.isDataError(new SQLException("no state")));
  }

  private static String sqlStateIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return SinkErrors.sqlState(sql);
      }
    }
    return null;
  }
}
