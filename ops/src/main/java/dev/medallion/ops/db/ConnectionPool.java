package dev.medallion.ops.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * One shared connection pool per JVM and target, so parallel bundles, the run recorder and the CLI
 * borrow connections instead of each opening its own.
 */
public final class ConnectionPool {
  private static final Map<JdbcTarget, HikariDataSource> POOLS = new ConcurrentHashMap<>();
  private static final int MAX_POOL_SIZE = 8;

  private ConnectionPool() {}

  /** The pool for a target, created on first use. */
  public static DataSource forTarget(JdbcTarget target) {
    return POOLS.computeIfAbsent(target, ConnectionPool::createPool);
  }

  /**
   * A connection of its own, outside the pool, for something held for a whole run (a session
   * advisory lock) that must neither take a pool slot from the pipeline nor outlive the process.
   */
  public static java.sql.Connection dedicated(JdbcTarget target) throws java.sql.SQLException {
    java.util.Properties properties = new java.util.Properties();
    if (target.user() != null) {
      properties.setProperty("user", target.user());
    }
    if (target.secret() != null) {
      properties.setProperty("password", target.secret());
    }
    properties.setProperty("ApplicationName", "medallion run lock");
    return new org.postgresql.Driver().connect(target.url(), properties);
  }

  /** Closes every pool; for tests and the CLI's shutdown. */
  public static void closeAll() {
    POOLS.values().forEach(HikariDataSource::close);
    POOLS.clear();
  }

  private static HikariDataSource createPool(JdbcTarget target) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(target.url());
    // Load the driver by name rather than through DriverManager: on a Flink TaskManager each job
    // has
    // its own class loader, and DriverManager only hands out the driver the first job registered.
    config.setDriverClassName("org.postgresql.Driver");
    config.setUsername(target.user());
    config.setPassword(target.secret());
    config.setMaximumPoolSize(MAX_POOL_SIZE);
    config.setMinimumIdle(0);
    config.setPoolName("medallion");
    // JdbcIO commits its own batches; it expects autocommit off after it sets it.
    config.setAutoCommit(true);
    return new HikariDataSource(config);
  }
}
