package dev.medallion.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Queries;
import dev.medallion.ops.events.EventType;
import dev.medallion.ops.events.Outbox;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import javax.annotation.Nullable;

/**
 * Writes ops.pipeline_runs and ops.processing_status: one row per run, one per table and layer. A
 * running run records its host, its process id and a heartbeat, so that the next run of the same
 * pipeline can tell a run whose process died ({@link RunStatus#ABANDONED}) from one still going.
 */
public final class RunRecorder {
  private static final DateTimeFormatter RUN_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** A run on another machine whose heartbeat is older than this is taken for dead. */
  public static final Duration STALE_HEARTBEAT = Duration.ofMinutes(10);

  private final JdbcTarget target;

  public RunRecorder(JdbcTarget target) {
    this.target = target;
  }

  public static String newRunId(String pipeline) {
    return pipeline
        + "-"
        + RUN_STAMP.format(Instant.now())
        + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
  }

  /** This machine's name, as runs record it. */
  public static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  public void started(
      String runId,
      String pipeline,
      Mode mode,
      Set<Layer> layers,
      String runner,
      boolean continuous) {
    started(runId, pipeline, mode, layers, runner, continuous, null);
  }

  /**
   * Records the start of a run, for the business date it processes when it has one (a backfill's
   * day), and its {@code execution.started} event in the same transaction.
   */
  public void started(
      String runId,
      String pipeline,
      Mode mode,
      Set<Layer> layers,
      String runner,
      boolean continuous,
      @Nullable LocalDate businessDate) {
    String modeLabel = mode.name().toLowerCase(java.util.Locale.ROOT);
    transaction(
        "the start of the run to ops.pipeline_runs",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO ops.pipeline_runs (run_id, pipeline, mode, layers, runner, status, host, pid, heartbeat_at,"
                      + " continuous, business_date) VALUES (?, ?, ?, ?, ?, 'running', ?, ?, now(), ?, ?)")) {
            ps.setString(1, runId);
            ps.setString(2, pipeline);
            ps.setString(3, modeLabel);
            ps.setString(4, labels(layers));
            ps.setString(5, runner);
            ps.setString(6, host());
            ps.setLong(7, ProcessHandle.current().pid());
            ps.setBoolean(8, continuous);
            ps.setObject(9, businessDate);
            ps.executeUpdate();
          }
          ObjectNode payload = Outbox.payload();
          payload.put("mode", modeLabel);
          payload.put("layers", labels(layers));
          payload.put("runner", runner);
          payload.put("continuous", continuous);
          payload.put("business_date", businessDate == null ? null : businessDate.toString());
          Outbox.write(c, EventType.EXECUTION_STARTED, pipeline, runId, payload);
        });
  }

  /** Tells later runs that this one is alive. */
  public void heartbeat(String runId) {
    update(
        "UPDATE ops.pipeline_runs SET heartbeat_at = now() WHERE run_id = ? AND status = 'running'",
        runId);
  }

  /**
   * Records how a run ended and, in the same transaction, its events: {@code execution.completed}
   * (succeeded or stopped) with one {@code layer.completed} per layer of a succeeded run, or {@code
   * execution.failed}. A run already recorded with this status gets no second event.
   */
  public void finished(
      String runId, RunStatus status, Map<Layer, LayerStats> layers, String error) {
    transaction(
        "the end of the run to ops.pipeline_runs",
        c -> {
          String pipeline = null;
          String before = null;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT pipeline, status FROM ops.pipeline_runs WHERE run_id = ? FOR UPDATE")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                pipeline = rs.getString(1);
                before = rs.getString(2);
              }
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE ops.pipeline_runs SET status = ?, completed_at = now(), heartbeat_at = now(),"
                      + " layer_records = CAST(? AS jsonb), layer_metrics = CAST(? AS jsonb), error = ? WHERE run_id = ?")) {
            ps.setString(1, status.label());
            ps.setString(2, json(layers, LayerStats::recordsJson));
            ps.setString(3, json(layers, LayerStats::metricsJson));
            ps.setString(4, Redactor.mask(error));
            ps.setString(5, runId);
            ps.executeUpdate();
          }
          if (pipeline == null || status.label().equals(before)) {
            return;
          }
          ObjectNode payload = Outbox.payload();
          payload.put("status", status.label());
          ObjectNode perLayer = payload.putObject("layers");
          layers.forEach((layer, stats) -> perLayer.set(layer.label(), statsJson(stats)));
          if (error != null) {
            payload.put("error", error);
          }
          Outbox.write(
              c,
              status == RunStatus.FAILED || status == RunStatus.ABANDONED
                  ? EventType.EXECUTION_FAILED
                  : EventType.EXECUTION_COMPLETED,
              pipeline,
              runId,
              payload);
          if (status == RunStatus.SUCCEEDED) {
            for (Map.Entry<Layer, LayerStats> layer : layers.entrySet()) {
              ObjectNode done = statsJson(layer.getValue());
              done.put("layer", layer.getKey().label());
              Outbox.write(c, EventType.LAYER_COMPLETED, pipeline, runId, done);
            }
          }
        });
  }

  private static ObjectNode statsJson(LayerStats stats) {
    ObjectNode node = Outbox.payload();
    node.put("records_in", stats.in());
    node.put("records_out", stats.out());
    node.put("quarantined", stats.quarantined());
    node.put("bytes_read", stats.bytesRead());
    node.put("duration_ms", stats.durationMillis());
    return node;
  }

  /**
   * The change sequence this run read its input up to (the highest, when it read more than once):
   * the next incremental run of the pipeline reads from the highest bound a succeeded run recorded.
   */
  public void readWatermark(String runId, long bound) {
    update(
        "UPDATE ops.pipeline_runs SET read_watermark = greatest(read_watermark, ?) WHERE run_id = ?",
        bound,
        runId);
  }

  /**
   * Marks the runs of a pipeline that are recorded as running but whose process is gone: on this
   * host a process id that no longer lives, elsewhere a heartbeat older than {@link
   * #STALE_HEARTBEAT}.
   *
   * @return the run ids marked abandoned
   */
  public List<String> markAbandoned(String pipeline) {
    return markAbandoned(pipeline, false);
  }

  /**
   * As {@link #markAbandoned(String)}; when the caller holds the pipeline's {@link PipelineLock},
   * which every run takes for its whole length, no other run of it can be alive, so every run still
   * recorded as running is abandoned, wherever it ran and however fresh its heartbeat.
   */
  public List<String> markAbandoned(String pipeline, boolean holdingRunLock) {
    List<String> abandoned = new ArrayList<>();
    String here = host();
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT run_id, host, pid, heartbeat_at < now() - make_interval(secs => ?)"
                    + " FROM ops.pipeline_runs WHERE pipeline = ? AND status = 'running'")) {
      ps.setDouble(1, STALE_HEARTBEAT.toSeconds());
      ps.setString(2, pipeline);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String host = rs.getString(2);
          long pid = rs.getLong(3);
          boolean pidKnown = !rs.wasNull();
          boolean stale = rs.getBoolean(4);
          boolean deadHere =
              here.equals(host)
                  && pidKnown
                  && pid != ProcessHandle.current().pid()
                  && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
          if (holdingRunLock || deadHere || stale || host == null) {
            abandoned.add(rs.getString(1));
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not read the running runs in ops.pipeline_runs: " + e.getMessage(), e);
    }
    for (String runId : abandoned) {
      transaction(
          "an abandoned run to ops.pipeline_runs",
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE ops.pipeline_runs SET status = 'abandoned', completed_at = now(),"
                        + " error = coalesce(error, 'its process ended without recording the end of the run (killed, or the machine stopped);"
                        + " found by the next run of ' || pipeline) WHERE run_id = ? AND status = 'running' RETURNING error")) {
              ps.setString(1, runId);
              try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                  ObjectNode payload = Outbox.payload();
                  payload.put("status", RunStatus.ABANDONED.label());
                  payload.put("error", rs.getString(1));
                  Outbox.write(c, EventType.EXECUTION_FAILED, pipeline, runId, payload);
                }
              }
            }
          });
    }
    return abandoned;
  }

  /** One row per table: table name to (layer, records processed). */
  public void tableStatus(
      String runId, Map<String, Map.Entry<Layer, Long>> tables, boolean succeeded, String error) {
    for (Map.Entry<String, Map.Entry<Layer, Long>> table : tables.entrySet()) {
      tableStatus(
          runId,
          table.getKey(),
          table.getValue().getKey(),
          table.getValue().getValue(),
          succeeded,
          error);
    }
  }

  /**
   * The row of one table and layer: records processed in this run, and the error when it failed.
   */
  public void tableStatus(
      String runId, String table, Layer layer, long records, boolean succeeded, String error) {
    update(
        "INSERT INTO ops.processing_status (table_name, layer, status, records_processed, error_message, run_id, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, now()) ON CONFLICT (table_name, layer) DO UPDATE SET status = EXCLUDED.status,"
            + " records_processed = EXCLUDED.records_processed, error_message = EXCLUDED.error_message,"
            + " run_id = EXCLUDED.run_id, updated_at = now()",
        table,
        layer.label(),
        succeeded ? "completed" : "failed",
        records,
        Redactor.mask(error),
        runId);
  }

  /** {"bronze": {...}, "silver": {...}}: one object per layer. */
  private static String json(
      Map<Layer, LayerStats> layers, java.util.function.Function<LayerStats, String> perLayer) {
    StringBuilder json = new StringBuilder("{");
    layers.forEach(
        (layer, stats) ->
            json.append(json.length() > 1 ? ", " : "")
                .append('"')
                .append(layer.label())
                .append("\": ")
                .append(perLayer.apply(stats)));
    return json.append('}').toString();
  }

  private static String labels(Set<Layer> layers) {
    return String.join(",", layers.stream().sorted().map(Layer::label).toList());
  }

  /** Work on one connection inside a transaction. */
  @FunctionalInterface
  public interface Work {
    void run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction on a pooled connection: state and the events describing it
   * commit together or not at all.
   */
  public void transaction(String about, Work work) {
    try (Connection c = ConnectionPool.forTarget(target).getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        work.run(c);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not write " + about + " at " + target + ": " + e.getMessage(), e);
    }
  }

  private void update(String sql, Object... values) {
    Queries.update(target, "the run to ops.pipeline_runs", sql, values);
  }
}
