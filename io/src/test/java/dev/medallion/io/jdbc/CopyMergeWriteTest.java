package dev.medallion.io.jdbc;

import static org.junit.Assert.assertEquals;

import dev.medallion.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

public class CopyMergeWriteTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Before
  public void createTable() {
    TestDatabase.execute("CREATE SCHEMA IF NOT EXISTS sink_test");
    TestDatabase.execute("DROP TABLE IF EXISTS sink_test.items");
    TestDatabase.execute("CREATE TABLE sink_test.items (id text PRIMARY KEY, body text, payload jsonb, amount numeric(10,2),"
        + " at timestamptz, note text DEFAULT 'kept')");
  }

  private void write(List<KV<String, String>> rows, int batchSize) {
    pipeline
        .apply(Create.of(rows).withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        .apply(CopyMergeWrite.<KV<String, String>>into(TestDatabase.target(), "sink_test.items",
                List.of("id", "body", "payload", "amount", "at"), "ON CONFLICT (id) DO NOTHING",
                kv -> new Object[] {kv.getKey(), kv.getValue(), "{\"k\": \"" + kv.getKey() + "\"}",
                    kv.getKey().equals("c") ? null : new BigDecimal("12.50"), OffsetDateTime.parse("2024-06-18T10:02:11Z")})
            .withBatchSize(batchSize));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void copiesAwkwardTextExactlyAndMergesIdempotently() {
    List<KV<String, String>> rows = List.of(
        KV.of("a", "tab\there"), KV.of("b", "line\nbreak and back\\slash"), KV.of("c", "\\N is not null"), KV.of("d", "ünïcödé"));
    write(rows, 2);
    assertEquals(List.of(
            "a|tab\there|{\"k\": \"a\"}|12.50|2024-06-18 10:02:11+00|kept",
            "b|line\nbreak and back\\slash|{\"k\": \"b\"}|12.50|2024-06-18 10:02:11+00|kept",
            "c|\\N is not null|{\"k\": \"c\"}|null|2024-06-18 10:02:11+00|kept",
            "d|ünïcödé|{\"k\": \"d\"}|12.50|2024-06-18 10:02:11+00|kept"),
        TestDatabase.rows("SELECT * FROM sink_test.items ORDER BY id"));
  }

  @Test
  public void aSecondWriteOfTheSameRowsAddsNothing() {
    TestDatabase.execute("INSERT INTO sink_test.items (id, body) VALUES ('a', 'already here')");
    write(List.of(KV.of("a", "new"), KV.of("b", "new")), 1000);
    assertEquals(List.of("a|already here", "b|new"), TestDatabase.rows("SELECT id, body FROM sink_test.items ORDER BY id"));
  }

  @Test(expected = IllegalArgumentException.class)
  public void rejectsATableNameThatIsNotPlain() {
    CopyMergeWrite.into(TestDatabase.target(), "items; DROP TABLE x", List.of("id"), "", kv -> new Object[0]);
  }
}
