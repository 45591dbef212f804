package dev.medallion.ops.db;

import static org.junit.Assert.assertEquals;

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

  /**
   * A database migrated by a class path with more modules (the tests' example pipelines, a newer
   * jar) still opens from one with fewer: their migrations are "missing" here, or "future" when
   * numbered higher than every migration this class path has.
   */
  @Test
  public void migrationsOfModulesNotOnTheClassPathDoNotStopTheDatabaseFromOpening() {
    TestDatabase.target();
    TestDatabase.execute(
        "INSERT INTO ops.schema_migrations (installed_rank, version, description, type, script, checksum,"
            + " installed_by, execution_time, success) VALUES (9001, '9001', 'from another module', 'SQL', 'V9001__x.sql', 1,"
            + " 'test', 1, true)");
    try {
      assertEquals(0, Migrations.apply(TestDatabase.target()));
    } finally {
      TestDatabase.execute("DELETE FROM ops.schema_migrations WHERE version = '9001'");
    }
  }
}
