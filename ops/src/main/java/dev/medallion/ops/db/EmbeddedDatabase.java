package dev.medallion.ops.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL started from Maven artifacts, keeping its data in a folder so that tables
 * survive from one run to the next.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  /**
   * Which process started the PostgreSQL on a data folder: a run killed with it cannot say it is
   * gone.
   */
  static final String OWNER_FILE = "medallion.owner.pid";

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;
  private final boolean disposable;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, boolean disposable) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
    this.disposable = disposable;
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
    return start(dataDirectory, disposable, 0);
  }

  /**
   * Stops this PostgreSQL (fast shutdown: open sessions end, as in a server restart), runs {@code
   * whileStopped}, and starts it again on the same port and data; the connections of whoever was
   * using it are lost, the URL stays valid. For the fault-injection tests.
   */
  public EmbeddedDatabase restart(Runnable whileStopped) {
    int port = postgres.getPort();
    close();
    whileStopped.run();
    return start(dataDirectory, disposable, port);
  }

  private static EmbeddedDatabase start(Path dataDirectory, boolean disposable, int port) {
    try {
      Files.createDirectories(dataDirectory);
      stopLeftOver(dataDirectory);
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setServerConfig("max_connections", "100");
      if (port > 0) {
        builder.setPort(port);
      }
      // The library's own defaults trade durability for test speed; only disposable databases keep
      // that.
      String durable = disposable ? "off" : "on";
      builder
          .setServerConfig("fsync", durable)
          .setServerConfig("synchronous_commit", durable)
          .setServerConfig("full_page_writes", durable);
      EmbeddedPostgres postgres = builder.start();
      Files.writeString(
          dataDirectory.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
      LOG.info(
          "Embedded PostgreSQL is up on port {} with data in {}",
          postgres.getPort(),
          dataDirectory);
      return new EmbeddedDatabase(postgres, dataDirectory, disposable);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not start the embedded PostgreSQL with data in "
              + dataDirectory
              + ". If another medallion process is using that folder, wait for it or stop it; "
              + "or pass --data-dir to keep another database, or --jdbc-url to use your own PostgreSQL. "
              + "Never delete the folder: your tables are in it.",
          e);
    }
  }

  /**
   * A PostgreSQL that a killed run left running on this folder holds it, and no new one can start:
   * stop it (SIGTERM, PostgreSQL's smart shutdown; the dead run's connections are gone) when the
   * process that started it is gone. One whose owner still runs is another run's: leave it.
   */
  private static void stopLeftOver(Path dataDirectory) throws IOException {
    Optional<ProcessHandle> postmaster =
        pidIn(dataDirectory.resolve("postmaster.pid"))
            .flatMap(ProcessHandle::of)
            .filter(ProcessHandle::isAlive);
    if (postmaster.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> owner =
        pidIn(dataDirectory.resolve(OWNER_FILE))
            .filter(pid -> pid != ProcessHandle.current().pid())
            .flatMap(ProcessHandle::of)
            .filter(ProcessHandle::isAlive);
    if (owner.isPresent() || !Files.exists(dataDirectory.resolve(OWNER_FILE))) {
      throw new IOException(
          "PostgreSQL (pid "
              + postmaster.get().pid()
              + ") is running on "
              + dataDirectory
              + (owner.isPresent() ? " for the medallion process " + owner.get().pid() : ""));
    }
    LOG.warn(
        "Stopping the embedded PostgreSQL (pid {}) that a run which ended without stopping it left on {}",
        postmaster.get().pid(),
        dataDirectory);
    postmaster.get().destroy();
    try {
      postmaster.get().onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IOException(
          "The PostgreSQL left running on "
              + dataDirectory
              + " (pid "
              + postmaster.get().pid()
              + ") did not stop within "
              + STOP_TIMEOUT.toSeconds()
              + " s; stop it, then run again",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(
          "Interrupted while stopping the PostgreSQL left running on " + dataDirectory, e);
    } catch (ExecutionException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The process id on the first line of a pid file, if there is one. */
  private static Optional<Long> pidIn(Path file) {
    try {
      String first = Files.readAllLines(file).stream().findFirst().orElse("").strip();
      return Optional.of(Long.parseLong(first));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
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
