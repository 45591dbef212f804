package dev.medallion.ops;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.junit.Before;
import org.junit.Test;

/**
 * ops.quarantine against a real PostgreSQL: re-runs record a record once, replays settle each
 * record.
 */
public class QuarantineStoreTest {
  private final QuarantineStore store = new QuarantineStore(TestDatabase.target());

  @Before
  public void clean() {
    TestDatabase.truncate("ops.quarantine");
  }

  @Test
  public void aReRunThatSetsTheSameRecordAsideForTheSameReasonChangesNothing() throws SQLException {
    quarantine("run-1", "f.csv", 3, "amount 'x' is not a number");
    String before = TestDatabase.rows("SELECT quarantined_at, run_id FROM ops.quarantine").get(0);
    quarantine("run-2", "f.csv", 3, "amount 'x' is not a number");
    assertEquals(
        List.of(before), TestDatabase.rows("SELECT quarantined_at, run_id FROM ops.quarantine"));

    quarantine("run-3", "f.csv", 3, "amount 'y' is not a number"); // a new reason is news
    assertEquals(
        List.of("run-3|amount 'y' is not a number"),
        TestDatabase.rows("SELECT run_id, reason FROM ops.quarantine"));
  }

  @Test
  public void aReplaySettlesEachRecordLandedOrSetAsideAgain() throws SQLException {
    quarantine("run-1", "f.csv", 1, "value 120 is above the limit 100");
    quarantine("run-1", "f.csv", 2, "value 150 is above the limit 100");
    List<QuarantineEntry> waiting = store.waitingForReplay("readings", "above the limit");
    assertEquals(2, waiting.size());
    assertEquals(0, store.waitingForReplay("readings", "no such reason").size());

    store.beginReplay(waiting, "replay-1");
    // The replay run sets record 2 aside again with the same reason: that must still be recorded as
    // this run's.
    quarantine("replay-1", "f.csv", 2, "value 150 is above the limit 100");
    assertEquals(1, store.settleReplay(waiting, "replay-1"));

    QuarantineEntry landed = store.find(waiting.get(0).id()).orElseThrow();
    QuarantineEntry again = store.find(waiting.get(1).id()).orElseThrow();
    assertNotNull(landed.replayedAt());
    assertEquals("replay-1", landed.replayRunId());
    assertEquals("run-1", landed.runId());
    assertNull(again.replayedAt());
    assertEquals("replay-1", again.runId());
    assertEquals(List.of(again), store.waitingForReplay("readings", null));
    assertEquals(2, store.list("readings", null, 10).size());
  }

  private static void quarantine(String runId, String source, int index, String reason)
      throws SQLException {
    try (Connection c = ConnectionPool.forTarget(TestDatabase.target()).getConnection();
        PreparedStatement ps = c.prepareStatement(QuarantineStore.UPSERT)) {
      QuarantineStore.bind(
          ps,
          "readings",
          runId,
          "silver",
          source,
          index,
          "key-" + index,
          reason,
          "invalid_value",
          "{}",
          null);
      ps.executeUpdate();
    }
  }
}
