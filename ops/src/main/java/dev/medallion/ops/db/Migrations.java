package dev.medallion.ops.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the versioned SQL migrations in {@code db/migration}; running them again is harmless. */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  public static int apply(JdbcTarget target) {
    Flyway flyway =
        Flyway.configure(Migrations.class.getClassLoader())
            .dataSource(ConnectionPool.forTarget(target))
            .locations("classpath:db/migration")
            .schemas("ops")
            .table("schema_migrations")
            // Each module ships its own migrations; a tool with fewer modules on its classpath may
            // still open the database.
            .ignoreMigrationPatterns("*:missing", "*:future")
            .load();
    MigrateResult result = flyway.migrate();
    if (result.migrationsExecuted > 0) {
      LOG.info(
          "Applied {} migration(s); schema is at version {}",
          result.migrationsExecuted,
          result.targetSchemaVersion);
    }
    return result.migrationsExecuted;
  }
}
