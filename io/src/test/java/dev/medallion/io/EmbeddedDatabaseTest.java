package dev.medallion.io;

import static org.junit.Assert.assertEquals;

import dev.medallion.io.jdbc.Migrations;
import dev.medallion.testing.TestDatabase;
import org.junit.Test;

public class EmbeddedDatabaseTest {
  @Test
  public void migrationsCreateTheLayerSchemasAndAreHarmlessTwice() {
    TestDatabase.target();
    assertEquals(0, Migrations.apply(TestDatabase.target()));
    assertEquals(
        java.util.List.of("bronze", "gold", "ops", "platinum", "silver"),
        TestDatabase.rows(
            "SELECT nspname FROM pg_namespace WHERE nspname IN ('bronze','silver','gold','platinum','ops') ORDER BY 1"));
  }

  @Test
  public void bronzePartitionsAreCreatedOnDemandAndOnlyOnce() {
    TestDatabase.execute("SELECT bronze.ensure_edge_raw_partition('2031-03-17')");
    TestDatabase.execute("SELECT bronze.ensure_edge_raw_partition('2031-03-02')");
    assertEquals(1, TestDatabase.count(
        "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relname = 'edge_raw_2031_03'"));
  }
}
