package dev.medallion.pipelines;

import dev.medallion.io.api.ApiBronze;
import dev.medallion.io.api.ApiSource;
import dev.medallion.io.http.ProcessEnvironment;
import dev.medallion.io.todoist.TodoistConnector;
import dev.medallion.ops.Layer;
import dev.medallion.platform.ApiOptionChecks;
import dev.medallion.platform.Landing;
import dev.medallion.platform.LayerTables;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.RunContext;
import dev.medallion.platform.SourceKind;
import dev.medallion.transforms.JdbcSteps;
import dev.medallion.transforms.todoist.TodoistTables;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;

/**
 * Todoist (issue 12):
 *
 * <pre>
 * ApiSource(TodoistConnector: active tasks (cursor pages), tasks completed since the newest
 *           completion landed, projects (cursor pages))
 *   + the pages earlier runs still owe                       -> bronze.todoist_raw
 *   bronze (pending versions) -> silver.todoist_tasks + silver.todoist_completions, silver.todoist_projects
 *   silver -> gold.tasks_daily (day in --timezone x project: added, completed, open overdue)
 *   failed requests -> ops.quarantine; failed pages -> ops.owed_requests
 * </pre>
 *
 * The cursor is what is landed: the completed window starts at the newest completed_at in bronze,
 * and a page that failed is owed (with its cursor) and asked first by the next run, so a run that
 * fails on page 2 resumes there, with no gap, and silver keeps one row per id.
 */
public final class TodoistPipeline implements PipelineDefinition<TodoistOptions> {
  public static final String NAME = "todoist";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Todoist tasks and projects (API v1, cursor paging, resumable) into bronze, silver and gold.tasks_daily.";
  }

  @Override
  public SourceKind sourceKind() {
    return SourceKind.API;
  }

  @Override
  public List<LayerTables> layers() {
    return List.of(
        LayerTables.of(Layer.BRONZE, TodoistTables.BRONZE),
        new LayerTables(
            Layer.SILVER,
            List.of(TodoistTables.TASKS, TodoistTables.COMPLETIONS, TodoistTables.PROJECTS)),
        LayerTables.of(Layer.GOLD, TodoistTables.TASKS_DAILY));
  }

  @Override
  public Class<TodoistOptions> optionsType() {
    return TodoistOptions.class;
  }

  @Override
  public String schedule() {
    return "tasks every 3 hours, projects daily (ingestion-config.yaml)";
  }

  /** The data types chosen with --streams, checked. */
  static List<String> chosenTypes(TodoistOptions options) {
    return ApiOptionChecks.streams(
        "Todoist", options.getStreams(), TodoistConnector.DATA_TYPES, List.of());
  }

  @Override
  public List<String> problems(TodoistOptions options, boolean continuous) {
    List<String> problems = new ArrayList<>();
    Landing.check(problems, options.getLanding(), options.getEnv());
    try {
      chosenTypes(options);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    ApiOptionChecks.urls(
        problems,
        TodoistConnector.create(),
        options.getAllowInsecureHttp(),
        "--todoist-base-url",
        options.getTodoistBaseUrl());
    ApiOptionChecks.range(problems, "--page-size", options.getPageSize(), 1, 200);
    ApiOptionChecks.range(
        problems, "--completed-lookback-days", options.getCompletedLookbackDays(), 1, 3650);
    try {
      ZoneId.of(options.getTimezone());
    } catch (RuntimeException e) {
      problems.add("--timezone: unknown timezone '" + options.getTimezone() + "'");
    }
    String until = options.getCompletedUntil();
    if (until != null && !until.isBlank()) {
      try {
        Instant.parse(until);
      } catch (DateTimeParseException e) {
        problems.add(
            "--completed-until: not an ISO instant such as 2024-06-19T00:00:00Z: '" + until + "'");
      }
    }
    ApiOptionChecks.range(
        problems, "--max-retry-wait-seconds", options.getMaxRetryWaitSeconds(), 0, 86_400);
    return problems;
  }

  /**
   * The completed window: until --completed-until (else now); since the newest completion landed in
   * bronze on an incremental run, else --completed-lookback-days before until.
   */
  @Override
  public void prepare(TodoistOptions options, RunContext context) {
    Instant until =
        options.getCompletedUntil() == null || options.getCompletedUntil().isBlank()
            ? Instant.now().truncatedTo(ChronoUnit.SECONDS)
            : Instant.parse(options.getCompletedUntil());
    OffsetDateTime newest =
        !context.full() && context.runs(Layer.BRONZE)
            ? TodoistTables.newestCompletion(context.target())
            : null;
    Instant since =
        newest == null
            ? until.minus(Duration.ofDays(options.getCompletedLookbackDays()))
            : newest.toInstant();
    if (!since.isBefore(until)) {
      since = until.minusSeconds(1); // nothing newer can be asked: a window of one second
    }
    options.setCompletedUntil(until.toString());
    options.setCompletedSince(since.toString());
  }

  @Override
  public String describeSource(TodoistOptions options) {
    java.net.URI uri = java.net.URI.create(options.getTodoistBaseUrl());
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + uri.getPath()
        + " ("
        + String.join(",", streams(options))
        + ")"
        + (chosenTypes(options).contains(TodoistConnector.TASKS)
                && options.getCompletedSince() != null
            ? ", completed from "
                + options.getCompletedSince()
                + " to "
                + options.getCompletedUntil()
            : "");
  }

  /** The connector's streams: the data type "tasks" is active and completed tasks. */
  @Override
  public List<String> streams(TodoistOptions options) {
    return TodoistConnector.streamsOf(chosenTypes(options));
  }

  static ApiSource source(TodoistOptions options, RunContext context) {
    TodoistConnector connector =
        TodoistConnector.create()
            .withStreams(TodoistConnector.streamsOf(chosenTypes(options)))
            .withLimit(options.getPageSize())
            .withSecretSource(ProcessEnvironment.source());
    if (options.getCompletedSince() != null && options.getCompletedUntil() != null) {
      connector =
          connector.withCompletedWindow(
              Instant.parse(options.getCompletedSince()),
              Instant.parse(options.getCompletedUntil()));
    }
    return ApiSource.of(connector)
        .withBaseUrl(options.getTodoistBaseUrl())
        .withHttpClientConfiguration(context.http())
        .withMaxRetryWait(Duration.ofSeconds(options.getMaxRetryWaitSeconds()));
  }

  @Override
  public void build(Pipeline pipeline, TodoistOptions options, RunContext context) {
    List<PCollection<Void>> bronzeWritten = new ArrayList<>();
    if (context.runs(Layer.BRONZE)) {
      bronzeWritten.add(
          pipeline
              .apply(
                  "LandTodoist",
                  ApiBronze.from(source(options, context))
                      .into(context.target(), TodoistTables.BRONZE)
                      .forRun(NAME, context.runId())
                      .landingIn(Landing.root(options.getLanding(), options.getEnv()))
                      .retryingOwed(streams(options)))
              .get(ApiBronze.WRITTEN));
    }
    List<PCollection<Void>> silverWritten = new ArrayList<>();
    if (context.runs(Layer.SILVER)) {
      List<String> types = chosenTypes(options);
      if (types.contains(TodoistConnector.TASKS)) {
        silverWritten.add(
            pipeline.apply(
                "UpsertSilverTasks",
                JdbcSteps.executeAfter(
                    "UpsertTasks", context.target(), TodoistTables.upsertTasks(), bronzeWritten)));
      }
      if (types.contains(TodoistConnector.PROJECTS)) {
        silverWritten.add(
            pipeline.apply(
                "UpsertSilverProjects",
                JdbcSteps.executeAfter(
                    "UpsertProjects",
                    context.target(),
                    TodoistTables.upsertProjects(),
                    bronzeWritten)));
      }
    }
    if (context.runs(Layer.GOLD)) {
      ZoneId zone = ZoneId.of(options.getTimezone());
      LocalDate asOf =
          options.getAsOf() == null || options.getAsOf().isBlank()
              ? LocalDate.now(zone)
              : LocalDate.parse(options.getAsOf());
      pipeline.apply(
          "RebuildTasksDaily",
          JdbcSteps.executeAfter(
              "RebuildTasksDaily",
              context.target(),
              TodoistTables.rebuildTasksDaily(zone, asOf),
              silverWritten));
    }
  }
}
