package dev.medallion.ops;

import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * {@code ops.file_jobs} (V12): one row per run and file an inventory pipeline looked at, with its
 * status (queued, processing, completed, failed, skipped), retry count, error, checksum and rows;
 * and the run's file totals in {@code ops.pipeline_runs}. A retry reads the files whose latest job
 * failed.
 */
public final class FileJobs {
  public static final String QUEUED = "queued";
  public static final String PROCESSING = "processing";
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";
  public static final String SKIPPED = "skipped";

  /** One job row. */
  public record Job(
      long jobId,
      String runId,
      String pipeline,
      String filePath,
      @Nullable String fileKind,
      @Nullable LocalDate businessDate,
      @Nullable String storeId,
      String status,
      int retryCount,
      @Nullable String error,
      @Nullable String checksum,
      @Nullable Long rows,
      @Nullable Long quarantinedRows,
      @Nullable String driveFileId,
      @Nullable String fileName,
      @Nullable String sourceVersion) {}

  private static final String COLUMNS =
      "job_id, run_id, pipeline, file_path, file_kind, business_date, store_id, status,"
          + " retry_count, error, checksum, rows, quarantined_rows, drive_file_id, file_name,"
          + " source_version";

  private final JdbcTarget target;

  public FileJobs(JdbcTarget target) {
    this.target = target;
  }

  /** Records a file; returns its job id. */
  public long add(
      String runId,
      String pipeline,
      String filePath,
      @Nullable String fileKind,
      @Nullable LocalDate businessDate,
      @Nullable String storeId,
      String status,
      int retryCount,
      @Nullable String error,
      @Nullable String checksum) {
    return add(
        runId,
        pipeline,
        filePath,
        fileKind,
        businessDate,
        storeId,
        status,
        retryCount,
        error,
        checksum,
        null,
        null);
  }

  /**
   * Records a file with where it came from: its Drive file id (null for a local file) and the
   * version a watch compares ({@link #seen}); the name is the path's last part.
   */
  public long add(
      String runId,
      String pipeline,
      String filePath,
      @Nullable String fileKind,
      @Nullable LocalDate businessDate,
      @Nullable String storeId,
      String status,
      int retryCount,
      @Nullable String error,
      @Nullable String checksum,
      @Nullable String driveFileId,
      @Nullable String sourceVersion) {
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO ops.file_jobs (run_id, pipeline, file_path, file_kind, business_date,"
                    + " store_id, status, retry_count, error, checksum, drive_file_id, file_name,"
                    + " source_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " RETURNING job_id")) {
      ps.setString(1, runId);
      ps.setString(2, pipeline);
      ps.setString(3, filePath);
      ps.setString(4, fileKind);
      ps.setObject(5, businessDate == null ? null : Date.valueOf(businessDate), Types.DATE);
      ps.setString(6, storeId);
      ps.setString(7, status);
      ps.setInt(8, retryCount);
      ps.setString(9, error == null ? null : LogText.bounded(Redactor.process().redact(error)));
      ps.setString(10, checksum);
      ps.setString(11, driveFileId);
      ps.setString(12, filePath.substring(filePath.lastIndexOf('/') + 1));
      ps.setString(13, sourceVersion);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("ops.file_jobs: " + e.getMessage(), e);
    }
  }

  /** Sets a job's status, on the caller's connection (inside the file's transaction). */
  public static void finish(
      Connection c,
      long jobId,
      String status,
      @Nullable String error,
      long rows,
      long quarantinedRows)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE ops.file_jobs SET status = ?, error = ?, rows = ?, quarantined_rows = ?,"
                + " updated_at = clock_timestamp() WHERE job_id = ?")) {
      ps.setString(1, status);
      ps.setString(2, error == null ? null : LogText.bounded(Redactor.process().redact(error)));
      ps.setLong(3, rows);
      ps.setLong(4, quarantinedRows);
      ps.setLong(5, jobId);
      ps.executeUpdate();
    }
  }

  /** Marks a job as being processed. */
  public static void processing(Connection c, long jobId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE ops.file_jobs SET status = 'processing', started_at = clock_timestamp(),"
                + " updated_at = clock_timestamp() WHERE job_id = ?")) {
      ps.setLong(1, jobId);
      ps.executeUpdate();
    }
  }

  /**
   * The files of {@code pipeline} whose latest job failed (optionally of one business date): what a
   * retry takes. Files that succeeded since, or were never tried, are not among them.
   */
  public List<Job> latestFailed(String pipeline, @Nullable LocalDate date) {
    return query(
        "SELECT "
            + COLUMNS
            + " FROM (SELECT DISTINCT ON (file_path) * FROM ops.file_jobs WHERE pipeline = ?"
            + " AND status <> 'skipped' ORDER BY file_path, job_id DESC) latest"
            + " WHERE status = 'failed'"
            + (date == null ? "" : " AND business_date = ?")
            + " ORDER BY file_path",
        pipeline,
        date);
  }

  /** The latest job of a file in a pipeline, if any. */
  @Nullable
  public Job latest(String pipeline, String filePath) {
    List<Job> jobs =
        query(
            "SELECT "
                + COLUMNS
                + " FROM ops.file_jobs WHERE pipeline = ? AND file_path = ?"
                + " ORDER BY job_id DESC LIMIT 1",
            pipeline,
            filePath);
    return jobs.isEmpty() ? null : jobs.get(0);
  }

  /**
   * Whether a run of {@code pipeline} already looked at this version of the file (whatever came of
   * it: a failed file waits for {@code medallion retry}, not for the next poll). A file a run
   * queued but never finished reading does not count once that run is no longer running (killed,
   * stopped, failed): the next poll takes it again, so a crash loses no file.
   */
  public boolean seen(String pipeline, String filePath, String sourceVersion) {
    return !query(
            "SELECT "
                + COLUMNS
                + " FROM ops.file_jobs j WHERE pipeline = ? AND file_path = ? AND source_version = ?"
                + " AND (status NOT IN ('queued', 'processing') OR EXISTS (SELECT 1 FROM"
                + " ops.pipeline_runs r WHERE r.run_id = j.run_id AND r.status = 'running'))"
                + " LIMIT 1",
            pipeline,
            filePath,
            sourceVersion)
        .isEmpty();
  }

  public List<Job> ofRun(String runId) {
    return query(
        "SELECT " + COLUMNS + " FROM ops.file_jobs WHERE run_id = ? ORDER BY file_path", runId);
  }

  /** Writes the run's business date and file totals into ops.pipeline_runs. */
  public void recordTotals(String runId, @Nullable LocalDate businessDate) {
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE ops.pipeline_runs r SET business_date = ?, total_files = t.total,"
                    + " processed_files = t.processed, total_rows = t.rows FROM (SELECT"
                    + " count(*) FILTER (WHERE status <> 'skipped') AS total,"
                    + " count(*) FILTER (WHERE status = 'completed') AS processed,"
                    + " coalesce(sum(rows), 0) AS rows FROM ops.file_jobs WHERE run_id = ?) t"
                    + " WHERE r.run_id = ?")) {
      ps.setObject(1, businessDate == null ? null : Date.valueOf(businessDate), Types.DATE);
      ps.setString(2, runId);
      ps.setString(3, runId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("ops.pipeline_runs totals: " + e.getMessage(), e);
    }
  }

  private List<Job> query(String sql, Object... params) {
    List<Job> out = new ArrayList<>();
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      for (Object p : params) {
        if (p == null) {
          continue;
        }
        if (p instanceof LocalDate d) {
          ps.setDate(i++, Date.valueOf(d));
        } else {
          ps.setString(i++, p.toString());
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Date d = rs.getDate(6);
          long rows = rs.getLong(12);
          Long rowsOrNull = rs.wasNull() ? null : rows;
          long q = rs.getLong(13);
          Long qOrNull = rs.wasNull() ? null : q;
          out.add(
              new Job(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  d == null ? null : d.toLocalDate(),
                  rs.getString(7),
                  rs.getString(8),
                  rs.getInt(9),
                  rs.getString(10),
                  rs.getString(11),
                  rowsOrNull,
                  qOrNull,
                  rs.getString(14),
                  rs.getString(15),
                  rs.getString(16)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("ops.file_jobs: " + e.getMessage(), e);
    }
    return out;
  }
}
