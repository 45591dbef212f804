package dev.medallion.ops.quality;

import dev.medallion.ops.Layer;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One data-quality check a pipeline declares: a query returning one value, and the value it must
 * return. Run after each run of the pipeline that ran {@link #layer} (a check of gold says nothing
 * after a bronze-only run); {@code :run_id} in the query stands for the run's id.
 *
 * @param name e.g. {@code gold_accuracy}
 * @param layer the layer whose table it checks
 * @param table the table, for ops.data_quality_checks.table_name
 * @param query one row, one column; booleans compare as {@code true}/{@code false}
 * @param expected what the query must return, as text
 */
public record QualityCheck(String name, Layer layer, String table, String query, String expected) {
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._:-]+");

  public QualityCheck {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(expected, "expected");
  }

  /** A count that must be zero, e.g. rows with a negative revenue. */
  public static QualityCheck none(String name, Layer layer, String table, String countQuery) {
    return new QualityCheck(name, layer, table, countQuery, "0");
  }

  /** A condition that must hold, e.g. the newest silver row is less than an hour old. */
  public static QualityCheck holds(String name, Layer layer, String table, String condition) {
    return new QualityCheck(name, layer, table, condition, "true");
  }

  /**
   * Row-count reconciliation of one run, from the counts it recorded in
   * ops.pipeline_runs.layer_records: records into {@code from} = records out of {@code to} +
   * records quarantined by {@code from} and {@code to} (once when they are the same layer) +
   * records {@code to} merged into another with the same key. The query returns the difference,
   * which must be 0.
   */
  public static QualityCheck reconciliation(Layer from, Layer to, String tables) {
    String records = "coalesce((r.layer_records->'%s'->>'%s')::bigint, 0)";
    String in = String.format(records, from.label(), "in");
    String out = String.format(records, to.label(), "out");
    String quarantined =
        (from == to ? "" : String.format(records, from.label(), "quarantined") + " + ")
            + String.format(records, to.label(), "quarantined")
            + " + "
            + String.format(records, to.label(), "merged");
    return new QualityCheck(
        from == to
            ? to.label() + "_reconciliation"
            : from.label() + "_" + to.label() + "_reconciliation",
        to,
        tables,
        "SELECT "
            + in
            + " - ("
            + out
            + " + "
            + quarantined
            + ") FROM ops.pipeline_runs r WHERE r.run_id = :run_id",
        "0");
  }

  /** The query with the run's id in place of {@code :run_id}. */
  public String queryFor(String runId) {
    if (!RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException("not a run id: " + runId);
    }
    return query.replace(":run_id", "'" + runId + "'");
  }
}
