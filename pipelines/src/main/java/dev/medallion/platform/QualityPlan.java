package dev.medallion.platform;

import dev.medallion.core.LayerCounts;
import dev.medallion.ops.Layer;
import dev.medallion.ops.RunStatus;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.quality.QualityCheck;
import dev.medallion.ops.quality.QualityChecks;
import dev.medallion.ops.quality.QualityMetrics;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The data quality of one run, after its end is recorded: its metrics per layer
 * (ops.data_quality_metrics) after every run that produced counts, and, after a succeeded run, the
 * pipeline's checks plus the row-count reconciliation every pipeline gets (ops.data_quality_checks;
 * a failed check is a {@code quality.issue_detected} event).
 */
final class QualityPlan {
  private QualityPlan() {}

  /**
   * The checks after a run of these layers: the definition's checks of layers that ran, and the
   * row-count reconciliation when bronze and silver both ran. A file pipeline's silver takes what
   * bronze landed in the same run, so bronze in = silver out + quarantined + merged. An API
   * pipeline's bronze stores only new versions of what it fetched and silver reads those, so there
   * the reconciliation is silver in = silver out + quarantined + merged.
   */
  static List<QualityCheck> checksAfter(PipelineDefinition<?> definition, Set<Layer> layers) {
    List<QualityCheck> checks = new ArrayList<>();
    if (layers.contains(Layer.BRONZE)
        && layers.contains(Layer.SILVER)
        && definition.layerSet().contains(Layer.SILVER)) {
      Layer from = definition.sourceKind() == SourceKind.API ? Layer.SILVER : Layer.BRONZE;
      checks.add(
          QualityCheck.reconciliation(
              from,
              Layer.SILVER,
              String.join(", ", definition.tablesOf(from))
                  + (from == Layer.SILVER
                      ? ""
                      : " -> " + String.join(", ", definition.tablesOf(Layer.SILVER)))));
    }
    definition.qualityChecks().stream()
        .filter(c -> layers.contains(c.layer()))
        .forEach(checks::add);
    return checks;
  }

  /** Records the metrics and runs the checks; prints one line about the checks. */
  static void afterRun(
      JdbcTarget target,
      PrintStream out,
      PipelineDefinition<?> definition,
      Set<Layer> layers,
      String runId,
      RunStatus status,
      LayerCounts counts) {
    List<Layer> sorted = layers.stream().sorted().toList();
    new QualityMetrics(target).record(definition.name(), runId, counts.stats(sorted));
    if (status != RunStatus.SUCCEEDED) {
      return;
    }
    List<QualityCheck> checks = checksAfter(definition, layers);
    if (checks.isEmpty()) {
      return;
    }
    List<QualityChecks.Result> results =
        new QualityChecks(target).run(definition.name(), runId, checks);
    List<String> failed =
        results.stream()
            .filter(r -> !r.passed())
            .map(
                r ->
                    r.check().name()
                        + " (expected "
                        + r.check().expected()
                        + ", got "
                        + r.actual()
                        + ")")
            .toList();
    out.printf(
        "Quality checks: %d of %d passed%s%n",
        results.size() - failed.size(),
        results.size(),
        failed.isEmpty()
            ? ""
            : "; failed: "
                + String.join(", ", failed)
                + " (ops.data_quality_checks, run "
                + runId
                + ")");
  }
}
