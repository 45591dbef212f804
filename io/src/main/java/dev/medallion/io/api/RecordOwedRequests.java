package dev.medallion.io.api;

import dev.medallion.io.beam.Flattened;
import dev.medallion.io.jdbc.PooledDataSource;
import dev.medallion.ops.OwedRequests;
import dev.medallion.ops.Redactor;
import dev.medallion.ops.db.JdbcTarget;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * Keeps ops.owed_requests ({@link OwedRequests}) up to date from a run's {@link
 * ApiSource#OUTCOMES}: a failed request becomes owed (or counts one more failure), a request that
 * succeeded is owed no more. Returns a signal for {@code Wait.on}.
 */
public final class RecordOwedRequests
    extends PTransform<PCollection<RequestOutcome>, PCollection<Void>> {
  private static final long serialVersionUID = 1L;
  private final JdbcTarget target;
  private final String pipeline;
  private final String runId;

  private RecordOwedRequests(JdbcTarget target, String pipeline, String runId) {
    this.target = target;
    this.pipeline = pipeline;
    this.runId = runId;
  }

  public static RecordOwedRequests of(JdbcTarget target, String pipeline, String runId) {
    if (target == null || pipeline == null || runId == null) {
      throw new IllegalArgumentException("of() needs a database target, a pipeline and a run id");
    }
    return new RecordOwedRequests(target, pipeline, runId);
  }

  /**
   * The requests earlier runs of {@code pipeline} failed or deferred, of the streams this run
   * reads, as requests to plan again ({@link ApiSource#retrying}).
   */
  public static List<ApiRequest> owed(JdbcTarget target, String pipeline, List<String> streams) {
    return new OwedRequests(target)
        .owed(pipeline).stream()
            .filter(o -> streams.contains(o.stream()))
            .map(o -> ApiRequest.create(o.stream(), o.path(), o.query(), o.state()))
            .toList();
  }

  @Override
  public PCollection<Void> expand(PCollection<RequestOutcome> outcomes) {
    String name = pipeline;
    String run = runId;
    PCollection<Void> owed =
        outcomes
            .apply("FailedRequests", Filter.by(RequestOutcome::hasFailed))
            .apply(
                "OweFailedRequests",
                write(
                    OwedRequests.FAILED,
                    (o, ps) -> {
                      bindRequest(ps, name, o);
                      ps.setString(5, o.getState());
                      ps.setString(6, o.getFailureType());
                      ps.setString(7, Redactor.mask(o.getReason()));
                      ps.setString(8, run);
                      ps.setString(9, run);
                    }));
    PCollection<Void> paid =
        outcomes
            .apply("SucceededRequests", Filter.by((RequestOutcome o) -> !o.hasFailed()))
            .apply(
                "PayOwedRequests", write(OwedRequests.PAID, (o, ps) -> bindRequest(ps, name, o)));
    return Flattened.of("OwedRequestsWritten", List.of(owed, paid));
  }

  private JdbcIO.WriteVoid<RequestOutcome> write(
      String statement, JdbcIO.PreparedStatementSetter<RequestOutcome> setter) {
    return JdbcIO.<RequestOutcome>write()
        .withDataSourceProviderFn(PooledDataSource.of(target))
        .withStatement(statement)
        .withPreparedStatementSetter(setter)
        .withResults();
  }

  /** Placeholders 1 to 4 of both statements: pipeline, stream, path, query. */
  private static void bindRequest(PreparedStatement ps, String pipeline, RequestOutcome o)
      throws SQLException {
    ps.setString(1, pipeline);
    ps.setString(2, o.getStream());
    ps.setString(3, o.getPath());
    ps.setString(4, o.getQuery());
  }
}
