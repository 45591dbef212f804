package dev.medallion.io.quarantine;

import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.io.jdbc.PooledDataSource;
import dev.medallion.ops.QuarantineStore;
import dev.medallion.ops.db.JdbcTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.annotation.Nullable;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * The one quarantine writer: every pipeline's set-aside records into ops.quarantine, tagged with
 * the pipeline and the run. Returns a signal for {@code Wait.on}, so that what follows a record's
 * fate (marking bronze, moving a file) happens only once the record is safe.
 */
public final class WriteQuarantine
    extends PTransform<PCollection<QuarantinedRecord>, PCollection<Void>> {
  private static final long serialVersionUID = 1L;
  private final JdbcTarget target;
  private final String pipeline;
  @Nullable private final String runId;

  private WriteQuarantine(JdbcTarget target, String pipeline, @Nullable String runId) {
    this.target = target;
    this.pipeline = pipeline;
    this.runId = runId;
  }

  public static WriteQuarantine of(JdbcTarget target, String pipeline, @Nullable String runId) {
    return new WriteQuarantine(target, pipeline, runId);
  }

  @Override
  public PCollection<Void> expand(PCollection<QuarantinedRecord> records) {
    String pipelineName = pipeline;
    String run = runId;
    return records.apply(
        "UpsertOpsQuarantine",
        JdbcIO.<QuarantinedRecord>write()
            .withDataSourceProviderFn(PooledDataSource.of(target))
            .withStatement(QuarantineStore.UPSERT)
            .withPreparedStatementSetter((q, ps) -> bind(ps, pipelineName, run, q))
            .withResults());
  }

  /**
   * Writes one record on an open connection: for steps that quarantine and act in the same
   * transaction.
   */
  public static void write(
      Connection connection, String pipeline, @Nullable String runId, QuarantinedRecord q)
      throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(QuarantineStore.UPSERT)) {
      bind(ps, pipeline, runId, q);
      ps.executeUpdate();
    }
  }

  private static void bind(
      PreparedStatement ps, String pipeline, @Nullable String runId, QuarantinedRecord q)
      throws SQLException {
    QuarantineStore.bind(
        ps,
        pipeline,
        runId,
        q.getLayer(),
        q.getSource(),
        q.getRecordIndex(),
        q.getRecordKey(),
        q.getReason(),
        q.getErrorClass(),
        q.getPayload(),
        q.getSourceChecksum());
  }
}
