package dev.medallion.cli;

import dev.medallion.ops.db.EmbeddedDatabase;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Migrations;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the tables live: any PostgreSQL by JDBC URL, or the embedded one under --data-dir. */
final class DatabaseOptions {
  @Option(
      names = "--jdbc-url",
      defaultValue = "${env:MEDALLION_JDBC_URL}",
      description =
          "PostgreSQL JDBC URL (env MEDALLION_JDBC_URL). Without it an embedded PostgreSQL keeps its data under --data-dir.")
  String jdbcUrl;

  @Option(
      names = "--jdbc-user",
      defaultValue = "${env:MEDALLION_JDBC_USER}",
      description = "Database user (env MEDALLION_JDBC_USER).")
  String jdbcUser;

  @Option(
      names = "--jdbc-password",
      defaultValue = "${env:MEDALLION_JDBC_PASSWORD}",
      arity = "0..1",
      interactive = true,
      description =
          "Database password; prefer the environment variable MEDALLION_JDBC_PASSWORD so it stays out of shell history.")
  String jdbcPassword;

  @Option(
      names = "--data-dir",
      defaultValue = ".medallion",
      description =
          "Folder for the embedded PostgreSQL's data and the demo's files (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  /** An open database: the target, and the embedded server when one was started. */
  static final class Database implements AutoCloseable {
    final JdbcTarget target;
    private final EmbeddedDatabase embedded;

    Database(JdbcTarget target, EmbeddedDatabase embedded) {
      this.target = target;
      this.embedded = embedded;
    }

    boolean isEmbedded() {
      return embedded != null;
    }

    @Override
    public void close() {
      dev.medallion.ops.db.ConnectionPool.closeAll();
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  /**
   * Connects (starting the embedded PostgreSQL when no URL is given) and applies the migrations.
   */
  Database open() {
    EmbeddedDatabase embedded = null;
    JdbcTarget target;
    if (jdbcUrl == null || jdbcUrl.isBlank()) {
      try {
        embedded = EmbeddedDatabase.start(dataDir.resolve("pgdata").toAbsolutePath());
      } catch (RuntimeException e) {
        throw new CliException(
            e.getMessage() + " (" + dev.medallion.platform.JobRunner.rootMessage(e) + ")", e);
      }
      target = embedded.target();
    } else {
      try {
        target = JdbcTarget.of(jdbcUrl, jdbcUser, jdbcPassword);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(
            "--jdbc-url '"
                + JdbcTarget.redactUrl(jdbcUrl)
                + "' is not a PostgreSQL JDBC URL: use jdbc:postgresql://HOST:PORT/DB, or leave it"
                + " out to use the embedded PostgreSQL",
            e);
      }
    }
    Database database = new Database(target, embedded);
    try {
      Migrations.apply(target);
    } catch (RuntimeException e) {
      database.close();
      throw new CliException(
          "Cannot prepare the database at "
              + target
              + ": "
              + dev.medallion.platform.JobRunner.rootMessage(e)
              + ". Check --jdbc-url, and the user and password (MEDALLION_JDBC_USER, MEDALLION_JDBC_PASSWORD).",
          e);
    }
    return database;
  }
}
