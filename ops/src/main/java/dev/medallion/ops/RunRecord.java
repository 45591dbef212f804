package dev.medallion.ops;

import java.time.OffsetDateTime;
import javax.annotation.Nullable;

/** One run as ops.pipeline_runs holds it. */
public record RunRecord(
    String runId,
    String pipeline,
    Mode mode,
    String layers,
    String runner,
    RunStatus status,
    boolean continuous,
    OffsetDateTime startedAt,
    @Nullable OffsetDateTime completedAt,
    String layerRecordsJson,
    String layerMetricsJson,
    @Nullable String error) {}
