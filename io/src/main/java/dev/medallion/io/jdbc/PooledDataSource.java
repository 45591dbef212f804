package dev.medallion.io.jdbc;

import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import javax.sql.DataSource;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * Hands JdbcIO the JVM's shared {@link ConnectionPool} for a target, on whichever worker it runs.
 */
public final class PooledDataSource implements SerializableFunction<Void, DataSource> {
  private static final long serialVersionUID = 1L;

  private final JdbcTarget target;

  private PooledDataSource(JdbcTarget target) {
    this.target = target;
  }

  public static PooledDataSource of(JdbcTarget target) {
    return new PooledDataSource(target);
  }

  @Override
  public DataSource apply(Void input) {
    return ConnectionPool.forTarget(target);
  }

  @Override
  public String toString() {
    return "PooledDataSource{" + target + "}";
  }
}
