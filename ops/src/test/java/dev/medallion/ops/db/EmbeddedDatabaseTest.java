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
}
