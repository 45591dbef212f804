package dev.medallion.ops;

import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Queries;
import java.time.OffsetDateTime;
import java.util.List;
import javax.annotation.Nullable;

/**
 * The read side of ops.landed_files (the file ledger the file pipelines write through {@code
 * FileLedger}), for the operations service's file tracking.
 */
public final class LandedFiles {
  /** One landed file and what became of it. */
  public record LandedFile(
      String pipeline,
      String path,
      String checksum,
      long sizeBytes,
      int records,
      int quarantined,
      String status,
      @Nullable String reason,
      @Nullable String runId,
      OffsetDateTime ingestedAt) {}

  private final JdbcTarget target;

  public LandedFiles(JdbcTarget target) {
    this.target = target;
  }

  /** The files most recently taken in first, optionally of one pipeline. */
  public List<LandedFile> recent(@Nullable String pipeline, int limit) {
    return Queries.list(
        target,
        "ops.landed_files",
        "SELECT pipeline, path, checksum, size_bytes, records, quarantined, status, reason, run_id,"
            + " ingested_at FROM ops.landed_files WHERE (?::text IS NULL OR pipeline = ?)"
            + " ORDER BY ingested_at DESC, path LIMIT ?",
        rs ->
            new LandedFile(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getInt(5),
                rs.getInt(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getObject(10, OffsetDateTime.class)),
        pipeline,
        pipeline,
        limit);
  }
}
