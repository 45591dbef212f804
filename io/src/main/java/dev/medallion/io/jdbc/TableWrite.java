package dev.medallion.io.jdbc;

import dev.medallion.core.table.TableSpec;
import dev.medallion.ops.db.JdbcTarget;

/**
 * Writes of a declared table ({@link TableSpec}): every statement, column list and binding comes
 * from the spec. Each returns a completion signal for {@code Wait.on}, and with {@code
 * withRejects(...)} also the rows the database refused ({@link SinkRejects}).
 */
public final class TableWrite {
  private TableWrite() {}

  /**
   * Row-at-a-time batches of the spec's insert and conflict rule: for small tables (gold, platinum,
   * ledgers).
   */
  public static <T> BatchWrite<T> upsert(JdbcTarget target, TableSpec<T> spec) {
    return BatchWrite.rows(target, spec.name(), spec.insertSql(), spec::bind);
  }

  /**
   * COPY into staging and one merge per batch ({@link CopyMergeWrite}): for the volume (bronze,
   * silver).
   */
  public static <T> CopyMergeWrite<T> copyMerge(JdbcTarget target, TableSpec<T> spec) {
    return CopyMergeWrite.into(target, spec);
  }

  /**
   * Updates of rows already there (a status), found by the spec's key, through COPY and one merge
   * per batch.
   */
  public static <T> CopyMergeWrite<T> update(JdbcTarget target, TableSpec<T> spec) {
    return CopyMergeWrite.updating(target, spec);
  }
}
