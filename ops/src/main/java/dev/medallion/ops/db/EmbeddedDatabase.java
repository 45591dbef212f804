package dev.medallion.ops.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL started from Maven artifacts, keeping its data in a folder so that tables
 * survive from one run to the next.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  /**
   * Starts PostgreSQL on a free loopback port, with its data under {@code dataDirectory}, as
   * durable as any PostgreSQL: this is where a laptop user's tables live.
   */
  public static EmbeddedDatabase start(Path dataDirectory) {
    return start(dataDirectory, false);
  }

  /**
   * A database for tests that is thrown away afterwards: no fsync, no waiting for commits to flush.
   */
  public static EmbeddedDatabase startDisposable(Path dataDirectory) {
    return start(dataDirectory, true);
  }

  private static EmbeddedDatabase start(Path dataDirectory, boolean disposable) {
    try {
      Files.createDirectories(dataDirectory);
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setServerConfig("max_connections", "100");
      // The library's own defaults trade durability for test speed; only disposable databases keep
      // that.
      String durable = disposable ? "off" : "on";
      builder
          .setServerConfig("fsync", durable)
          .setServerConfig("synchronous_commit", durable)
          .setServerConfig("full_page_writes", durable);
      EmbeddedPostgres postgres = builder.start();
      LOG.info(
          "Embedded PostgreSQL is up on port {} with data in {}",
          postgres.getPort(),
          dataDirectory);
      return new EmbeddedDatabase(postgres, dataDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not start the embedded PostgreSQL with data in "
              + dataDirectory
              + ". If another medallion process is using that folder, stop it or remove the folder; "
              + "or pass --jdbc-url to use your own PostgreSQL.",
          e);
    }
  }

  public JdbcTarget target() {
    return JdbcTarget.of(
        "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres", "postgres");
  }

  public int port() {
    return postgres.getPort();
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }
}
