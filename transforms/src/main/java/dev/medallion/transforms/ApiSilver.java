package dev.medallion.transforms;

import dev.medallion.core.LayerMetrics;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.io.quarantine.WriteQuarantine;
import dev.medallion.ops.ErrorClass;
import dev.medallion.ops.Layer;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * An API stream's bronze (JSON as fetched) into its typed silver table, in the database, in one
 * transaction once bronze is written:
 *
 * <pre>
 * pending versions of the stream -> the newest per natural key (older ones: merged)
 *   -> a field of the wrong type (or a timestamp that is not one) -> ops.quarantine (layer silver,
 *      the reason naming the stream, the record's key, its bronze version and the field)
 *   -> the rest upserted by the stream's statements -> every pending version marked processed
 * </pre>
 *
 * Every field stays optional (absent or null is fine); only a value of another type is refused,
 * rather than silently becoming null in silver. Counts: silver in = pending versions, out = rows
 * upserted, quarantined, merged = older versions folded into the newest, so in = out + quarantined
 * + merged.
 */
public final class ApiSilver implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The newest good pending version per key, for a stream's statements: {@code FROM LATEST}. */
  public static final String LATEST =
      "(SELECT natural_key, version, raw_data, fetched_at FROM api_silver_pending"
          + " WHERE problem IS NULL) AS latest";

  private static final String ISO_TIMESTAMP =
      "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})$";

  /** A field (dotted path in the row) and the JSON type it must have when present. */
  public record FieldCheck(String path, String expected) implements Serializable {
    public FieldCheck {
      if (!List.of("number", "string", "boolean", "object", "array", "timestamp")
          .contains(expected)) {
        throw new IllegalArgumentException("not a checkable type: " + expected);
      }
      if (!path.matches("[A-Za-z0-9_.]+")) {
        throw new IllegalArgumentException("not a field path: " + path);
      }
    }
  }

  public static FieldCheck check(String path, String expected) {
    return new FieldCheck(path, expected);
  }

  private final String bronzeTable;
  private final String stream;
  private final String keyPattern;
  private final List<FieldCheck> checks;
  private final List<String> statements;

  private ApiSilver(
      String bronzeTable,
      String stream,
      String keyPattern,
      List<FieldCheck> checks,
      List<String> statements) {
    this.bronzeTable = bronzeTable;
    this.stream = stream;
    this.keyPattern = keyPattern;
    this.checks = List.copyOf(checks);
    this.statements = List.copyOf(statements);
  }

  /**
   * The stream's rows of {@code bronzeTable} whose key matches {@code keyPattern} (a POSIX regular
   * expression without quotes), checked by {@code checks}, upserted by {@code statements} reading
   * {@link #LATEST}: the first statement's row count is silver out.
   */
  public static ApiSilver of(
      String bronzeTable,
      String stream,
      String keyPattern,
      List<FieldCheck> checks,
      List<String> statements) {
    if (statements.isEmpty() || keyPattern.contains("'") || !stream.matches("[a-z_]+")) {
      throw new IllegalArgumentException(
          "ApiSilver.of() needs a stream, a key pattern, statements");
    }
    return new ApiSilver(bronzeTable, stream, keyPattern, checks, statements);
  }

  private static String json(String path) {
    return "raw_data #> '{" + path.replace('.', ',') + "}'";
  }

  /** The first problem of a row as text, or null: checks in their order. */
  String problemExpression() {
    if (checks.isEmpty()) {
      return "NULL::text";
    }
    List<String> cases = new ArrayList<>();
    for (FieldCheck check : checks) {
      String value = json(check.path());
      if (check.expected().equals("timestamp")) {
        cases.add(
            "CASE WHEN jsonb_typeof("
                + value
                + ") NOT IN ('string', 'null') THEN 'field "
                + check.path()
                + " is '"
                + " || jsonb_typeof("
                + value
                + ") || ', expected a timestamp string' WHEN jsonb_typeof("
                + value
                + ") = 'string' AND NOT ("
                + value
                + " #>> '{}') ~ '"
                + ISO_TIMESTAMP
                + "' THEN 'field "
                + check.path()
                + " is not an ISO-8601 timestamp: ' || left("
                + value
                + " #>> '{}', 40) END");
      } else {
        cases.add(
            "CASE WHEN jsonb_typeof("
                + value
                + ") NOT IN ('"
                + check.expected()
                + "', 'null') THEN 'field "
                + check.path()
                + " is ' || jsonb_typeof("
                + value
                + ") || ', expected "
                + check.expected()
                + "' END");
      }
    }
    return cases.size() == 1 ? cases.get(0) : "coalesce(" + String.join(", ", cases) + ")";
  }

  private String pendingFilter() {
    return " WHERE endpoint = '"
        + stream
        + "' AND NOT is_processed AND natural_key ~ '"
        + keyPattern
        + "'";
  }

  /** Runs in one transaction; returns {in, out, quarantined, merged}. */
  long[] run(Connection connection, String pipeline, @Nullable String runId) throws SQLException {
    long in;
    long out;
    long quarantined = 0;
    long distinct;
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TEMP TABLE api_silver_pending ON COMMIT DROP AS SELECT DISTINCT ON"
              + " (natural_key) natural_key, version, raw_data, fetched_at, "
              + problemExpression()
              + " AS problem FROM "
              + bronzeTable
              + pendingFilter()
              + " ORDER BY natural_key, version DESC");
      in = count(statement, "SELECT count(*) FROM " + bronzeTable + pendingFilter());
      distinct = count(statement, "SELECT count(*) FROM api_silver_pending");
      List<QuarantinedRecord> bad = new ArrayList<>();
      try (ResultSet rs =
          statement.executeQuery(
              "SELECT natural_key, version, raw_data::text, problem FROM api_silver_pending"
                  + " WHERE problem IS NOT NULL ORDER BY natural_key")) {
        while (rs.next()) {
          String key = rs.getString(1);
          int version = rs.getInt(2);
          String problem = rs.getString(4);
          bad.add(
              QuarantinedRecord.of(
                  Layer.SILVER,
                  problem.contains(" is not an ")
                      ? ErrorClass.INVALID_VALUE
                      : ErrorClass.INVALID_TYPE,
                  bronzeTable + " " + stream + "/" + key,
                  version,
                  key,
                  rs.getString(3),
                  stream
                      + " record "
                      + key
                      + " ("
                      + bronzeTable
                      + " version "
                      + version
                      + "): "
                      + problem));
        }
      }
      for (QuarantinedRecord record : bad) {
        WriteQuarantine.write(connection, pipeline, runId, record);
        quarantined++;
      }
      out = statement.executeUpdate(statements.get(0));
      for (String more : statements.subList(1, statements.size())) {
        statement.executeUpdate(more);
      }
      statement.executeUpdate(
          "UPDATE "
              + bronzeTable
              + " SET is_processed = true, processed_at = now()"
              + pendingFilter());
    }
    return new long[] {in, out, quarantined, in - distinct};
  }

  private static long count(Statement statement, String sql) throws SQLException {
    try (ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The step, run once every write in {@code after} has finished. */
  public PTransform<PBegin, PCollection<Void>> upsertAfter(
      JdbcTarget target, String pipeline, @Nullable String runId, List<PCollection<Void>> after) {
    ApiSilver spec = this;
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<Void> expand(PBegin input) {
        return JdbcSteps.trigger(input, after)
            .apply("UpsertSilver", ParDo.of(new UpsertFn(spec, target, pipeline, runId)))
            .setCoder(VoidCoder.of());
      }
    };
  }

  private static final class UpsertFn extends DoFn<Integer, Void> {
    private static final long serialVersionUID = 1L;
    private final ApiSilver spec;
    private final JdbcTarget target;
    private final String pipeline;
    @Nullable private final String runId;

    UpsertFn(ApiSilver spec, JdbcTarget target, String pipeline, @Nullable String runId) {
      this.spec = spec;
      this.target = target;
      this.pipeline = pipeline;
      this.runId = runId;
    }

    @ProcessElement
    public void process() throws SQLException {
      long[] counts;
      try (Connection connection = ConnectionPool.forTarget(target).getConnection()) {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
          counts = spec.run(connection, pipeline, runId);
          connection.commit();
        } catch (SQLException | RuntimeException e) {
          connection.rollback();
          throw e;
        } finally {
          connection.setAutoCommit(autoCommit);
        }
      }
      // Counted after the commit: a retried bundle counts once.
      LayerMetrics.in(Layer.SILVER).inc(counts[0]);
      LayerMetrics.out(Layer.SILVER).inc(counts[1]);
      LayerMetrics.quarantined(Layer.SILVER).inc(counts[2]);
      LayerMetrics.merged(Layer.SILVER).inc(counts[3]);
    }
  }
}
