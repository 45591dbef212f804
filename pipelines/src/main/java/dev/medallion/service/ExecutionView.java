package dev.medallion.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medallion.ops.Layer;
import dev.medallion.ops.RunRecord;
import dev.medallion.ops.RunStatus;
import dev.medallion.platform.PipelineDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * One run as the API and the dashboard show it: the run history's record read into layers with
 * their status, counts, size and duration, in the orchestrator seed's words (a succeeded run is
 * "completed").
 */
record ExecutionView(
    String id,
    String pipeline,
    String pipelineName,
    String status,
    String mode,
    List<LayerView> layers,
    @Nullable Long totalDurationMillis,
    @Nullable Instant startedAt,
    @Nullable Instant completedAt,
    @Nullable String error) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One layer of a run. */
  record LayerView(
      Layer layer,
      String status,
      long in,
      long out,
      long quarantined,
      long bytesRead,
      long durationMillis,
      List<String> tables) {
    double sizeMb() {
      return Math.round(bytesRead / 1048576.0 * 100) / 100.0;
    }
  }

  /** The seed's word for a status: succeeded is "completed"; the others keep their labels. */
  static String statusWord(RunStatus status) {
    return status == RunStatus.SUCCEEDED ? "completed" : status.label();
  }

  /** Reads "completed" (or "succeeded") and the other labels; null for a word that is neither. */
  @Nullable
  static RunStatus parseStatus(String word) {
    String w = word.strip().toLowerCase(Locale.ROOT);
    if (w.equals("completed")) {
      return RunStatus.SUCCEEDED;
    }
    for (RunStatus s : RunStatus.values()) {
      if (s.label().equals(w)) {
        return s;
      }
    }
    return null;
  }

  static ExecutionView of(RunRecord run, @Nullable PipelineDefinition<?> definition) {
    Set<Layer> ran = EnumSet.noneOf(Layer.class);
    for (String label : run.layers().split(",")) {
      if (!label.isBlank()) {
        ran.add(Layer.parseOne(label));
      }
    }
    Set<Layer> shown = EnumSet.copyOf(ran.isEmpty() ? EnumSet.of(Layer.BRONZE) : ran);
    if (definition != null) {
      shown.addAll(definition.layerSet());
    }
    JsonNode records = read(run.layerRecordsJson());
    JsonNode metrics = read(run.layerMetricsJson());
    List<LayerView> layers = new ArrayList<>();
    for (Layer layer : shown) {
      JsonNode r = records.path(layer.label());
      JsonNode m = metrics.path(layer.label());
      layers.add(
          new LayerView(
              layer,
              ran.contains(layer) ? layerStatus(run.status()) : "skipped",
              r.path("in").asLong(0),
              r.path("out").asLong(0),
              r.path("quarantined").asLong(0),
              m.path("bytes_read").asLong(0),
              m.path("duration_ms").asLong(0),
              definition == null ? List.of() : definition.tablesOf(layer)));
    }
    Instant started = run.startedAt() == null ? null : run.startedAt().toInstant();
    Instant completed = run.completedAt() == null ? null : run.completedAt().toInstant();
    return new ExecutionView(
        run.runId(),
        run.pipeline(),
        definition == null ? run.pipeline() : definition.description(),
        statusWord(run.status()),
        run.mode().name().toLowerCase(Locale.ROOT),
        layers,
        started != null && completed != null
            ? Duration.between(started, completed).toMillis()
            : null,
        started,
        completed,
        run.error());
  }

  /** A run this service scheduled that the run history does not hold yet. */
  static ExecutionView scheduled(RunLauncher.Launched run, PipelineDefinition<?> definition) {
    List<LayerView> layers = new ArrayList<>();
    Set<String> chosen = Set.of(run.layers().split(","));
    for (Layer layer : definition.layerSet()) {
      layers.add(
          new LayerView(
              layer,
              chosen.contains(layer.label()) ? "scheduled" : "skipped",
              0,
              0,
              0,
              0,
              0,
              definition.tablesOf(layer)));
    }
    return new ExecutionView(
        run.runId(),
        run.pipeline(),
        definition.description(),
        "scheduled",
        "",
        layers,
        null,
        null,
        null,
        null);
  }

  boolean going() {
    return status.equals("running") || status.equals("scheduled");
  }

  long quarantined() {
    return layers.stream().mapToLong(LayerView::quarantined).sum();
  }

  /** The seed's JSON shape, with the counts it leaves out added beside its own. */
  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", id);
    json.put("pipeline_id", pipeline);
    json.put("pipeline_name", pipelineName);
    json.put("status", status);
    json.put("mode", mode);
    Map<String, Object> byLayer = new LinkedHashMap<>();
    for (LayerView l : layers) {
      Map<String, Object> layer = new LinkedHashMap<>();
      layer.put("status", l.status());
      switch (l.layer()) {
        case BRONZE -> {
          layer.put("records", l.out());
          layer.put("records_quarantined", l.quarantined());
          layer.put("size_mb", l.sizeMb());
        }
        case SILVER -> {
          layer.put("records", l.out());
          layer.put("records_filtered", l.quarantined());
        }
        default -> {
          layer.put("tables_updated", l.status().equals("completed") ? l.tables() : List.of());
          layer.put("records", l.out());
        }
      }
      layer.put("duration_ms", l.durationMillis());
      byLayer.put(l.layer().label(), layer);
    }
    json.put("layers", byLayer);
    json.put("total_duration_ms", totalDurationMillis);
    json.put("started_at", text(startedAt));
    json.put("completed_at", text(completedAt));
    json.put("error", error);
    return json;
  }

  @Nullable
  static String text(@Nullable Instant at) {
    return at == null ? null : at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  private static String layerStatus(RunStatus run) {
    return switch (run) {
      case SUCCEEDED -> "completed";
      case ABANDONED -> "failed";
      default -> run.label();
    };
  }

  private static JsonNode read(@Nullable String json) {
    try {
      return json == null ? JSON.createObjectNode() : JSON.readTree(json);
    } catch (java.io.IOException e) {
      return JSON.createObjectNode();
    }
  }
}
