package dev.medallion.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medallion.ops.Layer;
import dev.medallion.ops.Mode;
import dev.medallion.ops.RunHistory;
import dev.medallion.ops.RunLog;
import dev.medallion.ops.RunRecord;
import dev.medallion.ops.RunStatus;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.quality.DataQualitySource;
import dev.medallion.platform.PipelineDefinition;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * The operations service ({@code medallion serve}): the orchestrator seed's REST API over the run
 * history, the band seed's {@code process_tabular_data} trigger, and the dashboard, on Javalin. It
 * reads what the CLI writes (ops.pipeline_runs, ops.run_logs, ops.quarantine, ops.landed_files) and
 * starts runs through the same runner ({@link RunLauncher}).
 */
public final class OpsService implements AutoCloseable {
  static final int MAX_PAGE_SIZE = 500;
  static final int DEFAULT_PAGE_SIZE = 50;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TRIGGER_FIELDS = Set.of("pipeline_id", "parameters");
  private static final Set<String> PARAMETER_FIELDS =
      Set.of("date_range", "force", "layers", "mode");

  /** The band seed's processing modes and the layers each runs. */
  static final Map<String, String> TABULAR_MODES =
      Map.of(
          "bronze_only", "bronze",
          "silver_only", "silver",
          "gold_only", "gold",
          "complete", "all");

  /** The band seed's trigger runs the band pipeline unless told otherwise. */
  public static final String TABULAR_PIPELINE = "band";

  private final JdbcTarget target;
  private final RunLauncher launcher;
  private final Access access;
  private final DataQualitySource quality;
  private final Clock clock;
  private final Dashboard dashboard;
  private String tabularPipeline = TABULAR_PIPELINE;
  private Javalin app;

  public OpsService(
      JdbcTarget target,
      RunLauncher launcher,
      List<String> tokens,
      DataQualitySource quality,
      Clock clock) {
    this.target = target;
    this.launcher = launcher;
    this.access = new Access(tokens);
    this.quality = quality;
    this.clock = clock;
    this.dashboard = new Dashboard(this);
  }

  /**
   * The pipeline {@code POST /functions/v1/process_tabular_data} runs (band unless set; the tests
   * use a small example pipeline).
   */
  public OpsService withTabularPipeline(String name) {
    launcher.definition(name);
    this.tabularPipeline = name;
    return this;
  }

  /** Starts listening; port 0 takes a free one. */
  public OpsService start(String host, int port) {
    app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.http.defaultContentType = "application/json";
            });
    app.before(this::checkAccess);
    app.get("/api/v1/etl/executions", this::executions);
    app.get("/api/v1/etl/executions/{id}", this::execution);
    app.get("/api/v1/etl/executions/{id}/logs", this::logs);
    app.post("/api/v1/etl/trigger", this::trigger);
    app.get("/api/v1/etl/data-quality", this::dataQuality);
    app.post("/functions/v1/process_tabular_data", this::processTabularData);
    dashboard.routes(app);
    app.exception(BadRequest.class, (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
    app.exception(
        RunLauncher.Refused.class,
        (e, ctx) -> error(ctx, HttpStatus.forStatus(e.status()), e.getMessage()));
    app.start(host, port);
    return this;
  }

  public int port() {
    return app.port();
  }

  JdbcTarget target() {
    return target;
  }

  public RunLauncher launcher() {
    return launcher;
  }

  Access access() {
    return access;
  }

  DataQualitySource quality() {
    return quality;
  }

  Clock clock() {
    return clock;
  }

  @Override
  public void close() {
    if (app != null) {
      app.stop();
    }
    launcher.close();
  }

  /** A request the service refuses with 400 and this message; nothing has been started. */
  static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  // ---- access ----

  private void checkAccess(Context ctx) {
    boolean write = !ctx.method().name().equals("GET") && !ctx.method().name().equals("HEAD");
    boolean bearer = access.bearerAccepted(ctx.header("Authorization"));
    if (write && !bearer && ctx.path().equals(Dashboard.REPLAY_PATH)) {
      // The quarantine page's Replay form cannot send a header: it carries the token as a field.
      String token = ctx.formParam("token");
      bearer = token != null && access.bearerAccepted("Bearer " + token);
    }
    boolean loopback = Access.loopback(ctx.req().getRemoteAddr());
    if (write && ctx.path().startsWith("/runs/")) {
      // The dashboard's Retry form: its form key from a loopback browser, or a token.
      if (bearer || (loopback && access.formKeyAccepted(ctx.formParam("form_key")))) {
        return;
      }
      deny(ctx, "Retry needs the dashboard's form (from this machine) or a bearer token");
    } else if (write && !bearer) {
      deny(
          ctx,
          access.hasTokens()
              ? "writes need Authorization: Bearer TOKEN with a token from "
                  + Access.TOKENS_ENV
                  + (ctx.header("Authorization") == null ? "" : " (the token given is not one)")
              : "writes need a bearer token, and the service has none: set "
                  + Access.TOKENS_ENV
                  + " before medallion serve");
    } else if (!write && !loopback && !bearer) {
      deny(ctx, "reads from another machine need Authorization: Bearer TOKEN");
    }
  }

  private static void deny(Context ctx, String message) {
    ctx.header("WWW-Authenticate", "Bearer");
    error(ctx, HttpStatus.UNAUTHORIZED, message);
    ctx.skipRemainingHandlers();
  }

  static void error(Context ctx, HttpStatus status, String message) {
    ctx.status(status);
    json(ctx, Map.of("error", message));
  }

  static void json(Context ctx, Object body) {
    try {
      ctx.contentType("application/json").result(JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- reads ----

  /** A page of runs the filter wants, with the service's scheduled runs first. */
  record Page(List<ExecutionView> executions, int page, int pageSize, long total) {}

  Page page(
      @Nullable String pipeline,
      @Nullable String status,
      @Nullable String dateFrom,
      @Nullable String dateTo,
      @Nullable String page,
      @Nullable String pageSize) {
    if (pipeline != null && !pipeline.isBlank()) {
      launcher.definition(pipeline); // 400 for an unknown name
    }
    List<RunStatus> statuses = new ArrayList<>();
    boolean wantsScheduled = status == null || status.isBlank();
    if (status != null && !status.isBlank()) {
      for (String word : status.split(",")) {
        RunStatus s = ExecutionView.parseStatus(word);
        if (s == null) {
          throw new BadRequest(
              "status '"
                  + word.strip()
                  + "' is not one of scheduled, running, completed, failed, stopped, abandoned");
        }
        wantsScheduled |= s == RunStatus.SCHEDULED;
        statuses.add(s);
      }
    }
    LocalDate from = date("date_from", dateFrom);
    LocalDate to = date("date_to", dateTo);
    if (from != null && to != null && from.isAfter(to)) {
      throw new BadRequest("date_from " + from + " is after date_to " + to);
    }
    int pageNo = number("page", page, 1, 1, Integer.MAX_VALUE);
    int size = number("page_size", pageSize, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
    String name = pipeline == null || pipeline.isBlank() ? null : pipeline;
    RunHistory.Filter filter = new RunHistory.Filter(name, statuses, from, to);
    RunHistory history = new RunHistory(target);
    List<ExecutionView> views = new ArrayList<>();
    long total = history.count(filter);
    if (wantsScheduled && pageNo == 1 && from == null && to == null) {
      for (RunLauncher.Launched l : launcher.going()) {
        if ((name == null || name.equals(l.pipeline())) && history.find(l.runId()).isEmpty()) {
          views.add(ExecutionView.scheduled(l, launcher.definition(l.pipeline())));
        }
      }
      total += views.size();
    }
    for (RunRecord run : history.search(filter, (pageNo - 1) * size, size)) {
      views.add(view(run));
    }
    return new Page(views, pageNo, size, total);
  }

  ExecutionView view(RunRecord run) {
    return ExecutionView.of(run, launcher.registry().find(run.pipeline()).orElse(null));
  }

  /** A run by id: from the history, or one this service scheduled that has not started. */
  Optional<ExecutionView> find(String id) {
    Optional<RunRecord> run = new RunHistory(target).find(id);
    if (run.isPresent()) {
      return Optional.of(view(run.get()));
    }
    return launcher
        .launched(id)
        .map(l -> ExecutionView.scheduled(l, launcher.definition(l.pipeline())))
        .map(v -> launcher.launched(id).get().outcome().isDone() ? refused(v, id) : v);
  }

  /** A launched run that ended without a run record: refused by the lock, or failed to start. */
  private ExecutionView refused(ExecutionView v, String id) {
    return new ExecutionView(
        v.id(),
        v.pipeline(),
        v.pipelineName(),
        "failed",
        v.mode(),
        v.layers(),
        null,
        null,
        null,
        launcher.launched(id).get().outcome().join().error());
  }

  private void executions(Context ctx) {
    Page p =
        page(
            ctx.queryParam("pipeline_id"),
            ctx.queryParam("status"),
            ctx.queryParam("date_from"),
            ctx.queryParam("date_to"),
            ctx.queryParam("page"),
            ctx.queryParam("page_size"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("executions", p.executions().stream().map(ExecutionView::toJson).toList());
    body.put("page", p.page());
    body.put("page_size", p.pageSize());
    body.put("total", p.total());
    body.put("next_page", (long) p.page() * p.pageSize() < p.total() ? p.page() + 1 : null);
    json(ctx, body);
  }

  private void execution(Context ctx) {
    ExecutionView view = find(ctx.pathParam("id")).orElse(null);
    if (view == null) {
      error(ctx, HttpStatus.NOT_FOUND, "no execution " + ctx.pathParam("id"));
      return;
    }
    json(ctx, view.toJson());
  }

  private void logs(Context ctx) {
    String id = ctx.pathParam("id");
    RunLog log = new RunLog(target);
    List<RunLog.Line> lines = log.lines(id);
    if (lines.isEmpty() && find(id).isEmpty()) {
      error(ctx, HttpStatus.NOT_FOUND, "no execution " + id);
      return;
    }
    List<Map<String, Object>> logs = new ArrayList<>();
    for (RunLog.Line line : lines) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("timestamp", line.at().toInstant().toString());
      entry.put("level", line.level().label());
      entry.put("layer", line.layer() == null ? null : line.layer().label());
      entry.put("message", line.message());
      logs.add(entry);
    }
    json(ctx, Map.of("logs", logs));
  }

  private void dataQuality(Context ctx) {
    Instant since = clock.instant().minus(Duration.ofHours(24));
    DataQualitySource.Summary last = quality.summary(since);
    Map<String, Object> last24h = summaryJson(last);
    List<Map<String, Object>> byPipeline = new ArrayList<>();
    for (DataQualitySource.PipelineQuality p : quality.byPipeline(since)) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("pipeline_id", p.pipeline());
      entry.put(
          "pipeline_name",
          launcher
              .registry()
              .find(p.pipeline())
              .map(PipelineDefinition::description)
              .orElse(p.pipeline()));
      entry.put("total_records", p.summary().totalRecords());
      entry.put("valid_records", p.summary().validRecords());
      entry.put("quality_score", p.summary().qualityScore());
      entry.put("issues", p.summary().issueCount());
      entry.put("issues_by_kind", p.summary().issues());
      byPipeline.add(entry);
    }
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("last_24h", last24h);
    metrics.put("by_pipeline", byPipeline);
    json(ctx, Map.of("quality_metrics", metrics));
  }

  static Map<String, Object> summaryJson(DataQualitySource.Summary s) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("total_records", s.totalRecords());
    json.put("valid_records", s.validRecords());
    json.put("quality_score", s.qualityScore());
    json.put("issues", s.issues());
    return json;
  }

  // ---- writes ----

  private void trigger(Context ctx) {
    JsonNode body = body(ctx);
    unknownFields(body, TRIGGER_FIELDS, "");
    String pipeline = text(body, "pipeline_id", true);
    launcher.definition(pipeline);
    JsonNode parameters = body.path("parameters");
    if (!parameters.isMissingNode() && !parameters.isNull() && !parameters.isObject()) {
      throw new BadRequest("parameters must be an object");
    }
    unknownFields(parameters, PARAMETER_FIELDS, "parameters.");
    String asOf = null;
    LocalDate start = null;
    LocalDate end = null;
    List<String> notes = new ArrayList<>();
    JsonNode range = parameters.path("date_range");
    if (!range.isMissingNode() && !range.isNull()) {
      if (!range.isObject()) {
        throw new BadRequest("parameters.date_range must be an object with start and end");
      }
      unknownFields(range, Set.of("start", "end"), "parameters.date_range.");
      start = date("parameters.date_range.start", text(range, "start", true));
      end = date("parameters.date_range.end", text(range, "end", true));
      if (start.isAfter(end)) {
        throw new BadRequest("parameters.date_range: start " + start + " is after end " + end);
      }
      asOf = end.toString();
      notes.add("date_range " + start + ".." + end + " (as of " + end + ")");
    }
    JsonNode force = parameters.path("force");
    if (!force.isMissingNode() && !force.isNull() && !force.isBoolean()) {
      throw new BadRequest("parameters.force must be true or false");
    }
    if (force.asBoolean(false)) {
      notes.add("force");
    }
    String layers = layers(parameters.path("layers"));
    Mode mode = mode(parameters.path("mode"));
    if (start != null && launcher.definition(pipeline).supportsBusinessDate()) {
      // A pipeline that runs per business date gets one run per date, as medallion backfill.
      RunLauncher.LaunchedDates runs =
          launcher.launchDates(
              pipeline,
              layers,
              mode,
              start,
              end,
              force.asBoolean(false),
              "POST /api/v1/etl/trigger (date_range "
                  + start
                  + ".."
                  + end
                  + (force.asBoolean(false) ? ", force" : "")
                  + ")");
      Map<String, Object> response;
      if (runs.runs().isEmpty()) {
        response = new LinkedHashMap<>();
        response.put("execution_id", null);
        response.put("status", "up_to_date");
        response.put(
            "message",
            "every date of "
                + start
                + ".."
                + end
                + " already has a succeeded run with gold rows; \"force\": true runs them again");
      } else {
        response = scheduledBody(runs.runs().get(0));
      }
      response.put("business_dates", runs.dates().stream().map(LocalDate::toString).toList());
      response.put("execution_ids", runs.runs().stream().map(RunLauncher.Launched::runId).toList());
      json(ctx, response);
      return;
    }
    RunLauncher.Launched run =
        launcher.launch(
            pipeline,
            layers,
            mode,
            asOf,
            List.of(),
            "POST /api/v1/etl/trigger"
                + (notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")"));
    json(ctx, scheduledBody(run));
  }

  private void processTabularData(Context ctx) {
    JsonNode body = body(ctx);
    unknownFields(body, Set.of("mode"), "");
    String mode = text(body, "mode", true);
    String layers = TABULAR_MODES.get(mode);
    if (layers == null) {
      throw new BadRequest(
          "mode '" + mode + "' is not one of bronze_only, silver_only, gold_only, complete");
    }
    RunLauncher.Launched run =
        launcher.launch(
            tabularPipeline,
            layers,
            Mode.INCREMENTAL,
            null,
            List.of(),
            "POST /functions/v1/process_tabular_data (mode " + mode + ")");
    Map<String, Object> response = scheduledBody(run);
    response.put("pipeline_id", tabularPipeline);
    response.put("mode", mode);
    response.put("layers", run.layers());
    json(ctx, response);
  }

  static Map<String, Object> scheduledBody(RunLauncher.Launched run) {
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("execution_id", run.runId());
    response.put("status", "scheduled");
    // The run starts on a thread of its own at once: nothing queues ahead of it.
    response.put("estimated_start", ExecutionView.text(run.requestedAt()));
    return response;
  }

  private static JsonNode body(Context ctx) {
    String text = ctx.body();
    if (text.isBlank()) {
      throw new BadRequest("the body is empty: send a JSON object");
    }
    JsonNode body;
    try {
      body = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new BadRequest(
          "the body is not JSON: "
              + e.getOriginalMessage()
              + " (line "
              + e.getLocation().getLineNr()
              + ")");
    }
    if (body == null || !body.isObject()) {
      throw new BadRequest("the body must be a JSON object");
    }
    return body;
  }

  private static void unknownFields(JsonNode node, Set<String> known, String prefix) {
    if (!node.isObject()) {
      return;
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new BadRequest(
            "unknown field '"
                + prefix
                + name
                + "': "
                + (prefix.isEmpty() ? "" : prefix)
                + "takes "
                + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }

  private static String text(JsonNode node, String field, boolean required) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      if (required) {
        throw new BadRequest(field + " is required");
      }
      return null;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new BadRequest(field + " must be a non-empty string");
    }
    return value.asText().strip();
  }

  @Nullable
  private static String layers(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isArray()) {
      List<String> labels = new ArrayList<>();
      node.forEach(
          n -> {
            if (!n.isTextual()) {
              throw new BadRequest("parameters.layers must hold layer names");
            }
            labels.add(n.asText());
          });
      if (labels.isEmpty()) {
        throw new BadRequest("parameters.layers is empty: leave it out to run every layer");
      }
      return String.join(",", labels);
    }
    throw new BadRequest(
        "parameters.layers must be \"all\", a comma-separated string or a list of "
            + String.join(
                ", ", java.util.Arrays.stream(Layer.values()).map(Layer::label).toList()));
  }

  private static Mode mode(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return Mode.INCREMENTAL;
    }
    for (Mode m : Mode.values()) {
      if (node.isTextual() && m.name().equalsIgnoreCase(node.asText().strip())) {
        return m;
      }
    }
    throw new BadRequest("parameters.mode must be incremental or full");
  }

  @Nullable
  static LocalDate date(String name, @Nullable String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new BadRequest(name + " '" + text + "' is not a date: use YYYY-MM-DD");
    }
  }

  static int number(String name, @Nullable String text, int fallback, int min, int max) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text.strip());
      if (value < min || value > max) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new BadRequest(
          name + " '" + text + "' must be a whole number from " + min + " to " + max);
    }
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
