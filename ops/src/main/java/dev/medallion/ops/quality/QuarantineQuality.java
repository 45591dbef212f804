package dev.medallion.ops.quality;

import dev.medallion.ops.ErrorClass;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Queries;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Data quality counted from the run history and the quarantine. A run's records are what its first
 * layer took in (bronze's records read, or silver's when the run started there); its issues are the
 * quarantine rows it wrote, by error class; valid = records - issues (never below 0: a whole file
 * set aside is one issue, though its records were never counted).
 */
public final class QuarantineQuality implements DataQualitySource {
  /** The issue kinds reported, each with the error classes it counts. */
  static final Map<String, List<ErrorClass>> KINDS = new LinkedHashMap<>();

  static {
    KINDS.put("missing_fields", List.of(ErrorClass.MISSING_FIELD));
    KINDS.put("invalid_types", List.of(ErrorClass.INVALID_TYPE));
    KINDS.put("duplicates", List.of(ErrorClass.DUPLICATE));
    KINDS.put("invalid_values", List.of(ErrorClass.INVALID_VALUE));
    KINDS.put(
        "malformed",
        List.of(
            ErrorClass.MALFORMED_RECORD, ErrorClass.MALFORMED_FILE, ErrorClass.UNSUPPORTED_FORMAT));
    KINDS.put("rejected_by_sink", List.of(ErrorClass.REJECTED_BY_SINK));
    KINDS.put("request_failed", List.of(ErrorClass.REQUEST_FAILED));
  }

  /** Per pipeline: the records its runs' first layers took in. */
  private static final String TOTALS =
      "SELECT r.pipeline, coalesce(sum((SELECT (e.value->>'in')::bigint FROM jsonb_each(r.layer_records) e"
          + " ORDER BY array_position(ARRAY['bronze','silver','gold','platinum'], e.key) LIMIT 1)), 0)"
          + " FROM ops.pipeline_runs r WHERE r.started_at >= ? GROUP BY r.pipeline";

  /** Per pipeline and error class: the quarantine rows those runs wrote. */
  private static final String ISSUES =
      "SELECT q.pipeline, q.error_class, count(*) FROM ops.quarantine q"
          + " JOIN ops.pipeline_runs r ON r.run_id = q.run_id WHERE r.started_at >= ?"
          + " GROUP BY q.pipeline, q.error_class";

  private final JdbcTarget target;

  public QuarantineQuality(JdbcTarget target) {
    this.target = target;
  }

  @Override
  public Summary summary(Instant since) {
    long total = 0;
    Map<String, Long> issues = emptyIssues();
    for (PipelineQuality p : byPipeline(since)) {
      total += p.summary().totalRecords();
      p.summary().issues().forEach((kind, n) -> issues.merge(kind, n, Long::sum));
    }
    return summaryOf(total, issues);
  }

  @Override
  public List<PipelineQuality> byPipeline(Instant since) {
    Timestamp from = Timestamp.from(since);
    Map<String, Long> totals = new TreeMap<>();
    Queries.list(
            target,
            "ops.pipeline_runs",
            TOTALS,
            rs -> Map.entry(rs.getString(1), rs.getLong(2)),
            from)
        .forEach(e -> totals.put(e.getKey(), e.getValue()));
    Map<String, Map<String, Long>> issues = new TreeMap<>();
    for (Object[] row :
        Queries.list(
            target,
            "ops.quarantine",
            ISSUES,
            rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getLong(3)},
            from)) {
      String kind = kindOf(ErrorClass.parse((String) row[1]));
      issues
          .computeIfAbsent((String) row[0], p -> emptyIssues())
          .merge(kind, (Long) row[2], Long::sum);
      totals.putIfAbsent((String) row[0], 0L);
    }
    List<PipelineQuality> result = new ArrayList<>();
    totals.forEach(
        (pipeline, total) ->
            result.add(
                new PipelineQuality(
                    pipeline, summaryOf(total, issues.getOrDefault(pipeline, emptyIssues())))));
    return result;
  }

  private static Summary summaryOf(long total, Map<String, Long> issues) {
    long bad = issues.values().stream().mapToLong(Long::longValue).sum();
    return new Summary(total, Math.max(0, total - bad), issues);
  }

  private static Map<String, Long> emptyIssues() {
    Map<String, Long> issues = new LinkedHashMap<>();
    KINDS.keySet().forEach(kind -> issues.put(kind, 0L));
    return issues;
  }

  private static String kindOf(ErrorClass errorClass) {
    return KINDS.entrySet().stream()
        .filter(e -> e.getValue().contains(errorClass))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }
}
