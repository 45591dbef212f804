package dev.medallion.ops;

import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Queries;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * ops.quarantine: the one place every pipeline sets records aside. The insert is an upsert on
 * (pipeline, layer, source, source checksum, record index), so a retried bundle or a re-run records
 * a record once; a record that fails again after a replay keeps its row and gets the new reason.
 * Nothing here deletes a row.
 */
public final class QuarantineStore {
  /**
   * Placeholders: pipeline, layer, source, record_index, record_key, reason, error_class, payload,
   * run_id, source_checksum.
   */
  public static final String UPSERT =
      "INSERT INTO ops.quarantine AS q (pipeline, layer, source, record_index, record_key,"
          + " reason, error_class, payload, run_id, source_checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (pipeline, layer, source, source_checksum, record_index) DO UPDATE SET record_key = EXCLUDED.record_key,"
          + " reason = EXCLUDED.reason, error_class = EXCLUDED.error_class, payload = EXCLUDED.payload, run_id = EXCLUDED.run_id,"
          + " quarantined_at = now(), replayed_at = NULL"
          // A re-run that sets aside the same record for the same reason changes nothing; a replay
          // run that does marks it.
          + " WHERE (q.record_key, q.reason, q.error_class, q.payload, q.replayed_at) IS DISTINCT FROM"
          + " (EXCLUDED.record_key, EXCLUDED.reason, EXCLUDED.error_class, EXCLUDED.payload, NULL)"
          + " OR (q.replay_run_id IS NOT NULL AND q.replayed_at IS NULL AND q.run_id IS DISTINCT FROM EXCLUDED.run_id)";

  private static final String COLUMNS =
      "id, pipeline, layer, source, record_index, record_key, reason, error_class, payload,"
          + " run_id, quarantined_at, replayed_at, replay_run_id";

  private final JdbcTarget target;

  public QuarantineStore(JdbcTarget target) {
    this.target = target;
  }

  /**
   * Binds one record to {@link #UPSERT}; {@code sourceChecksum} is the checksum of the file the
   * record came from (null for other sources).
   */
  public static void bind(
      PreparedStatement ps,
      String pipeline,
      @Nullable String runId,
      String layer,
      String source,
      int recordIndex,
      @Nullable String recordKey,
      String reason,
      String errorClass,
      @Nullable String payload,
      @Nullable String sourceChecksum)
      throws SQLException {
    ps.setString(1, pipeline);
    ps.setString(2, layer);
    ps.setString(3, source);
    ps.setInt(4, recordIndex);
    setText(ps, 5, Redactor.mask(recordKey));
    ps.setString(6, Redactor.mask(reason));
    ps.setString(7, errorClass);
    setText(ps, 8, Redactor.mask(payload));
    setText(ps, 9, runId);
    ps.setString(10, sourceChecksum == null ? "" : sourceChecksum);
  }

  /** The newest rows first, optionally of one pipeline and one run. */
  public List<QuarantineEntry> list(@Nullable String pipeline, @Nullable String runId, int limit) {
    return query(
        "SELECT "
            + COLUMNS
            + " FROM ops.quarantine WHERE (? IS NULL OR pipeline = ?) AND (? IS NULL OR run_id = ?)"
            + " ORDER BY quarantined_at DESC, id DESC LIMIT ?",
        pipeline,
        pipeline,
        runId,
        runId,
        limit);
  }

  public Optional<QuarantineEntry> find(long id) {
    return query("SELECT " + COLUMNS + " FROM ops.quarantine WHERE id = ?", id).stream()
        .findFirst();
  }

  /**
   * The rows of a pipeline not landed by a replay yet, optionally only those whose reason contains
   * {@code reasonLike}.
   */
  public List<QuarantineEntry> waitingForReplay(String pipeline, @Nullable String reasonLike) {
    return query(
        "SELECT "
            + COLUMNS
            + " FROM ops.quarantine WHERE pipeline = ? AND replayed_at IS NULL"
            + " AND (? IS NULL OR reason ILIKE '%' || ? || '%') ORDER BY layer, source, record_index",
        pipeline,
        reasonLike,
        reasonLike);
  }

  /**
   * Marks the entries a replay run is about to re-feed, so that one the run sets aside again is
   * recorded again.
   */
  public void beginReplay(List<QuarantineEntry> entries, String replayRunId) {
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        PreparedStatement ps =
            c.prepareStatement("UPDATE ops.quarantine SET replay_run_id = ? WHERE id = ?")) {
      for (QuarantineEntry entry : entries) {
        ps.setString(1, replayRunId);
        ps.setLong(2, entry.id());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not mark the records to replay in ops.quarantine: " + e.getMessage(), e);
    }
  }

  /**
   * After a replay run: each entry the run did not quarantine again has landed and is marked
   * replayed; each it did keeps its row (with the run's new reason) and records the replay run.
   *
   * @return how many landed
   */
  public int settleReplay(List<QuarantineEntry> entries, String replayRunId) {
    int landed = 0;
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE ops.quarantine SET replay_run_id = ?,"
                    + " replayed_at = CASE WHEN run_id IS DISTINCT FROM ? THEN now() ELSE NULL END WHERE id = ?"
                    + " RETURNING replayed_at IS NOT NULL")) {
      for (QuarantineEntry entry : entries) {
        ps.setString(1, replayRunId);
        ps.setString(2, replayRunId);
        ps.setLong(3, entry.id());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getBoolean(1)) {
            landed++;
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not record the replay in ops.quarantine: " + e.getMessage(), e);
    }
    return landed;
  }

  /** Rows of one run by error class, for the run summary and the data-quality reports. */
  public java.util.Map<ErrorClass, Long> countsByClass(String runId) {
    java.util.Map<ErrorClass, Long> counts = new java.util.EnumMap<>(ErrorClass.class);
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT error_class, count(*) FROM ops.quarantine WHERE run_id = ? GROUP BY 1")) {
      ps.setString(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          counts.put(ErrorClass.parse(rs.getString(1)), rs.getLong(2));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not read ops.quarantine: " + e.getMessage(), e);
    }
    return counts;
  }

  private List<QuarantineEntry> query(String sql, Object... values) {
    return Queries.list(
        target,
        "ops.quarantine",
        sql,
        rs ->
            new QuarantineEntry(
                rs.getLong("id"),
                rs.getString("pipeline"),
                Layer.parseOne(rs.getString("layer")),
                rs.getString("source"),
                rs.getInt("record_index"),
                rs.getString("record_key"),
                rs.getString("reason"),
                ErrorClass.parse(rs.getString("error_class")),
                rs.getString("payload"),
                rs.getString("run_id"),
                rs.getObject("quarantined_at", OffsetDateTime.class),
                rs.getObject("replayed_at", OffsetDateTime.class),
                rs.getString("replay_run_id")),
        values);
  }

  private static void setText(PreparedStatement ps, int index, @Nullable String value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }
}
