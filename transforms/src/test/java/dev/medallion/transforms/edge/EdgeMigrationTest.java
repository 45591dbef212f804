package dev.medallion.transforms.edge;

import static org.junit.Assert.assertEquals;

import dev.medallion.testing.TestDatabase;
import org.junit.Test;

public class EdgeMigrationTest {
  @Test
  public void bronzePartitionsAreCreatedOnDemandAndOnlyOnce() {
    TestDatabase.execute("SELECT bronze.ensure_edge_raw_partition('2031-03-17')");
    TestDatabase.execute("SELECT bronze.ensure_edge_raw_partition('2031-03-02')");
    assertEquals(
        1,
        TestDatabase.count(
            "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relname = 'edge_raw_2031_03'"));
  }
}
