package dev.medallion.service;

import dev.medallion.ops.LandedFiles;
import dev.medallion.ops.Layer;
import dev.medallion.ops.QuarantineEntry;
import dev.medallion.ops.QuarantineStore;
import dev.medallion.ops.RunHistory;
import dev.medallion.ops.RunLog;
import dev.medallion.ops.RunRecord;
import dev.medallion.ops.RunStatus;
import dev.medallion.ops.quality.DataQualitySource;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import javax.annotation.Nullable;

/**
 * The dashboard: server-rendered pages (no script, no build step, nothing fetched from the
 * internet) over the same reads as the API. A page showing a run that is going reloads itself every
 * few seconds.
 */
final class Dashboard {
  static final int REFRESH_SECONDS = 3;

  /** Where the quarantine page's Replay form posts (it needs a write token, as a form field). */
  static final String REPLAY_PATH = "/quarantine/replay";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final Map<Layer, String> COLORS = new EnumMap<>(Layer.class);

  static {
    COLORS.put(Layer.BRONZE, "#b0703c");
    COLORS.put(Layer.SILVER, "#7d8a96");
    COLORS.put(Layer.GOLD, "#c9a227");
    COLORS.put(Layer.PLATINUM, "#5b6bbf");
  }

  private static final String STYLE =
      "body{font-family:system-ui,sans-serif;margin:0;color:#1d2329;background:#f6f7f9}"
          + "header{background:#1d2329;color:#fff;padding:10px 20px;display:flex;gap:18px;align-items:center}"
          + "header a{color:#cfd8e3;text-decoration:none}header a.on{color:#fff;font-weight:600}"
          + "header b{margin-right:16px}main{padding:16px 20px}"
          + "table{border-collapse:collapse;background:#fff;margin:8px 0 18px}"
          + "th,td{border:1px solid #dde2e8;padding:4px 8px;text-align:left;font-size:14px;vertical-align:top}"
          + "th{background:#eef1f5}td.n{text-align:right;font-variant-numeric:tabular-nums}"
          + ".s{padding:1px 7px;border-radius:9px;font-size:12px;color:#fff;background:#7d8a96}"
          + ".s-completed,.s-passed{background:#2e8b57}.s-failed,.s-abandoned{background:#c0392b}"
          + ".s-running,.s-scheduled{background:#2874a6}.s-stopped{background:#8e7cc3}"
          + ".error{color:#c0392b}.warning{color:#a66b00}.muted{color:#6b7785}"
          + "form.filters{display:flex;gap:10px;align-items:end;margin:8px 0}"
          + "form.filters label{display:flex;flex-direction:column;font-size:12px}"
          + "button{cursor:pointer}.cards{display:flex;gap:14px}"
          + ".card{background:#fff;border:1px solid #dde2e8;padding:10px 16px}"
          + ".card .big{font-size:26px;font-weight:600}";

  private final OpsService service;

  Dashboard(OpsService service) {
    this.service = service;
  }

  void routes(Javalin app) {
    app.get("/", this::today);
    app.get("/history", this::history);
    app.get("/runs/{id}", this::run);
    app.post("/runs/{id}/retry", this::retry);
    app.get("/failed", this::failed);
    app.get("/files", this::files);
    app.get("/quality", this::quality);
    app.get("/quarantine", this::quarantine);
    app.post(REPLAY_PATH, this::replay);
    app.get("/events", this::events);
  }

  // ---- pages ----

  private void today(Context ctx) {
    LocalDate day = LocalDate.ofInstant(service.clock().instant(), ZoneOffset.UTC);
    OpsService.Page page = service.page(null, null, day.toString(), day.toString(), "1", "200");
    List<ExecutionView> runs = new ArrayList<>();
    service.launcher().going().stream()
        .filter(l -> new RunHistory(service.target()).find(l.runId()).isEmpty())
        .forEach(
            l -> runs.add(ExecutionView.scheduled(l, service.launcher().definition(l.pipeline()))));
    runs.addAll(page.executions());
    StringBuilder body = new StringBuilder();
    body.append("<h1>Today's runs</h1><p class=muted>")
        .append(esc(day.toString()))
        .append(" (UTC): ")
        .append(runs.size())
        .append(" run(s), ")
        .append(runs.stream().filter(r -> r.status().equals("failed")).count())
        .append(" failed.</p>");
    body.append(runTable(runs, "today-runs"));
    page(ctx, "today", "Today's runs", body, runs.stream().anyMatch(ExecutionView::going));
  }

  private void history(Context ctx) {
    String pipeline = blankToNull(ctx.queryParam("pipeline"));
    String status = blankToNull(ctx.queryParam("status"));
    String from = blankToNull(ctx.queryParam("date_from"));
    String to = blankToNull(ctx.queryParam("date_to"));
    OpsService.Page page;
    try {
      page = service.page(pipeline, status, from, to, ctx.queryParam("page"), "100");
    } catch (OpsService.BadRequest | dev.medallion.service.RunLauncher.Refused e) {
      ctx.status(HttpStatus.BAD_REQUEST);
      page(
          ctx,
          "history",
          "Pipeline history",
          new StringBuilder(
              "<h1>Pipeline history</h1><p class=error>" + esc(e.getMessage()) + "</p>"),
          false);
      return;
    }
    StringBuilder body = new StringBuilder("<h1>Pipeline history</h1>");
    body.append("<form class=filters id=history-filters method=get action=/history>");
    TreeSet<String> names = new TreeSet<>(new RunHistory(service.target()).pipelines());
    service.launcher().registry().all().forEach(d -> names.add(d.name()));
    body.append(
        "<label>Pipeline<select name=pipeline id=filter-pipeline><option value=''>any</option>");
    for (String name : names) {
      body.append(option(name, name, name.equals(pipeline)));
    }
    body.append("</select></label><label>Status<select name=status id=filter-status>")
        .append("<option value=''>any</option>");
    for (String s : List.of("completed", "failed", "running", "stopped", "abandoned")) {
      body.append(option(s, s, s.equals(status)));
    }
    body.append("</select></label>")
        .append("<label>From<input type=date name=date_from id=filter-from value='")
        .append(esc(from == null ? "" : from))
        .append("'></label><label>To<input type=date name=date_to id=filter-to value='")
        .append(esc(to == null ? "" : to))
        .append("'></label><button type=submit id=filter-apply>Filter</button></form>");
    body.append("<p class=muted id=history-count>")
        .append(page.total())
        .append(" run(s) match.</p>");
    body.append("<h2>Records per layer over time</h2>").append(chart(page.executions()));
    body.append(runTable(page.executions(), "history-runs"));
    if ((long) page.page() * page.pageSize() < page.total()) {
      body.append("<a id=next-page href='/history?")
          .append(query("pipeline", pipeline))
          .append(query("status", status))
          .append(query("date_from", from))
          .append(query("date_to", to))
          .append("page=")
          .append(page.page() + 1)
          .append("'>Older runs</a>");
    }
    page(
        ctx,
        "history",
        "Pipeline history",
        body,
        page.executions().stream().anyMatch(ExecutionView::going));
  }

  private void run(Context ctx) {
    String id = ctx.pathParam("id");
    ExecutionView run = service.find(id).orElse(null);
    if (run == null) {
      ctx.status(HttpStatus.NOT_FOUND);
      page(ctx, "", "No such run", new StringBuilder("<h1>No run " + esc(id) + "</h1>"), false);
      return;
    }
    StringBuilder body = new StringBuilder();
    body.append("<h1>Run <span id=run-id>")
        .append(esc(run.id()))
        .append("</span> ")
        .append(badge(run.status(), "run-status"))
        .append("</h1>");
    body.append("<table id=run-summary>")
        .append(
            row(
                "Pipeline",
                esc(run.pipeline()) + " <span class=muted>" + esc(run.pipelineName()) + "</span>"))
        .append(row("Mode", esc(run.mode())))
        .append(row("Started", time(run.startedAt())))
        .append(row("Completed", time(run.completedAt())))
        .append(row("Duration", duration(run.totalDurationMillis())));
    if (run.error() != null) {
      body.append(row("Error", "<span class=error id=run-error>" + esc(run.error()) + "</span>"));
    }
    body.append("</table>");
    if (run.status().equals("failed") || run.status().equals("abandoned")) {
      body.append(retryForm(run.id()));
    }
    body.append("<h2>Layers</h2><table id=run-layers><tr><th>layer<th>status<th>in<th>out")
        .append("<th>quarantined<th>MB read<th>duration<th>tables</tr>");
    for (ExecutionView.LayerView l : run.layers()) {
      body.append("<tr data-layer=")
          .append(l.layer().label())
          .append("><td>")
          .append(l.layer().label())
          .append("<td>")
          .append(badge(l.status(), null))
          .append(num(l.in()))
          .append(num(l.out()))
          .append(num(l.quarantined()))
          .append("<td class=n>")
          .append(String.format(Locale.ROOT, "%.2f", l.sizeMb()))
          .append("<td class=n>")
          .append(duration(l.durationMillis()))
          .append("<td>")
          .append(esc(String.join(", ", l.tables())))
          .append("</tr>");
    }
    body.append(
        "</table><h2>Log</h2><table id=run-log><tr><th>time<th>level<th>layer<th>message</tr>");
    for (RunLog.Line line : new RunLog(service.target()).lines(id)) {
      body.append("<tr class=")
          .append(line.level().label())
          .append("><td>")
          .append(time(line.at().toInstant()))
          .append("<td>")
          .append(line.level().label())
          .append("<td>")
          .append(line.layer() == null ? "" : line.layer().label())
          .append("<td><code>")
          .append(esc(line.message()))
          .append("</code></tr>");
    }
    body.append("</table>");
    List<QuarantineEntry> set = new QuarantineStore(service.target()).list(null, id, 200);
    body.append("<h2>Quarantine of this run</h2>").append(quarantineTable(set, "run-quarantine"));
    page(ctx, "", "Run " + run.id(), body, run.going());
  }

  private void retry(Context ctx) {
    RunRecord failed = new RunHistory(service.target()).find(ctx.pathParam("id")).orElse(null);
    if (failed == null
        || (failed.status() != RunStatus.FAILED && failed.status() != RunStatus.ABANDONED)) {
      ctx.status(HttpStatus.BAD_REQUEST);
      page(
          ctx,
          "failed",
          "Retry",
          new StringBuilder("<h1>Only a failed run can be retried</h1>"),
          false);
      return;
    }
    RunLauncher.Launched run;
    try {
      run = retry(failed);
    } catch (RunLauncher.Refused e) {
      ctx.status(HttpStatus.forStatus(e.status()));
      page(
          ctx,
          "failed",
          "Retry refused",
          new StringBuilder(
              "<h1>Not retried</h1><p class=error id=retry-error>" + esc(e.getMessage()) + "</p>"),
          false);
      return;
    }
    ctx.redirect("/runs/" + run.runId(), HttpStatus.SEE_OTHER);
  }

  /**
   * Runs the failed run's layers again, in its mode, through the runner. What had succeeded is not
   * redone: files the ledger holds are skipped and an API pipeline asks again only for what it
   * still owes, so what runs again is what failed.
   */
  RunLauncher.Launched retry(RunRecord failed) {
    return service
        .launcher()
        .launch(
            failed.pipeline(),
            failed.layers(),
            failed.mode(),
            null,
            List.of(),
            "Retry of " + failed.runId() + " on the dashboard");
  }

  private void failed(Context ctx) {
    OpsService.Page page = service.page(null, "failed,abandoned", null, null, "1", "100");
    StringBuilder body = new StringBuilder("<h1>Failed jobs</h1>");
    body.append(
        "<p class=muted>Retry runs the failed run's layers again through the runner; the pipeline's lock"
            + " keeps it from running beside another run of the same pipeline.</p>");
    body.append(
        "<table id=failed-runs><tr><th>run<th>pipeline<th>started<th>layers<th>error<th></tr>");
    for (ExecutionView run : page.executions()) {
      body.append("<tr data-run='")
          .append(esc(run.id()))
          .append("'><td>")
          .append(runLink(run.id()))
          .append("<td>")
          .append(esc(run.pipeline()))
          .append("<td>")
          .append(time(run.startedAt()))
          .append("<td>")
          .append(
              esc(
                  String.join(
                      ",",
                      run.layers().stream()
                          .filter(l -> !l.status().equals("skipped"))
                          .map(l -> l.layer().label())
                          .toList())))
          .append("<td class=error>")
          .append(esc(run.error() == null ? run.status() : run.error()))
          .append("<td>")
          .append(retryForm(run.id()))
          .append("</tr>");
    }
    body.append("</table>");
    page(ctx, "failed", "Failed jobs", body, !service.launcher().going().isEmpty());
  }

  private void files(Context ctx) {
    String pipeline = blankToNull(ctx.queryParam("pipeline"));
    List<LandedFiles.LandedFile> files = new LandedFiles(service.target()).recent(pipeline, 300);
    StringBuilder body = new StringBuilder("<h1>File tracking</h1>");
    body.append(
        "<p class=muted>Every file the file pipelines took in (ops.landed_files): what became of it, its"
            + " records and the records set aside.</p>");
    body.append("<table id=files><tr><th>pipeline<th>file<th>size<th>records<th>quarantined")
        .append("<th>status<th>reason<th>run<th>ingested</tr>");
    for (LandedFiles.LandedFile f : files) {
      body.append("<tr><td>")
          .append(esc(f.pipeline()))
          .append("<td title='")
          .append(esc(f.checksum()))
          .append("'>")
          .append(esc(f.path()))
          .append(num(f.sizeBytes()))
          .append(num(f.records()))
          .append(num(f.quarantined()))
          .append("<td>")
          .append(esc(f.status()))
          .append("<td>")
          .append(esc(f.reason() == null ? "" : f.reason()))
          .append("<td>")
          .append(f.runId() == null ? "" : runLink(f.runId()))
          .append("<td>")
          .append(time(f.ingestedAt().toInstant()))
          .append("</tr>");
    }
    body.append("</table>");
    page(ctx, "files", "File tracking", body, false);
  }

  private void quality(Context ctx) {
    Instant since = service.clock().instant().minus(Duration.ofHours(24));
    DataQualitySource.Summary last = service.quality().summary(since);
    StringBuilder body = new StringBuilder("<h1>Data quality</h1>");
    body.append(
            "<p class=muted>Runs started in the last 24 hours. Quality score = valid ÷ total × 100;")
        .append(" the issues are the quarantine's error classes.</p>");
    body.append("<div class=cards><div class=card>Quality score<div class=big id=quality-score>")
        .append(score(last.qualityScore()))
        .append("</div></div><div class=card>Records<div class=big id=quality-total>")
        .append(String.format(Locale.ROOT, "%,d", last.totalRecords()))
        .append("</div></div><div class=card>Valid<div class=big id=quality-valid>")
        .append(String.format(Locale.ROOT, "%,d", last.validRecords()))
        .append("</div></div></div>");
    body.append("<h2>Issues by type</h2><table id=quality-issues><tr><th>issue<th>records</tr>");
    last.issues()
        .forEach(
            (kind, n) -> body.append("<tr><td>").append(esc(kind)).append(num(n)).append("</tr>"));
    body.append("</table><h2>By pipeline</h2><table id=quality-pipelines>")
        .append("<tr><th>pipeline<th>records<th>valid<th>score<th>issues</tr>");
    for (DataQualitySource.PipelineQuality p : service.quality().byPipeline(since)) {
      body.append("<tr><td>")
          .append(esc(p.pipeline()))
          .append(num(p.summary().totalRecords()))
          .append(num(p.summary().validRecords()))
          .append("<td class=n>")
          .append(score(p.summary().qualityScore()))
          .append(num(p.summary().issueCount()))
          .append("</tr>");
    }
    body.append("</table><h2>Checks</h2>")
        .append("<p class=muted>The latest outcomes of each pipeline's checks")
        .append(" (ops.data_quality_checks), run after every succeeded run.</p>")
        .append("<table id=quality-checks><tr><th>check<th>pipeline<th>table<th>expected")
        .append("<th>actual<th>result<th>run<th>executed<th>query</tr>");
    for (dev.medallion.ops.quality.CheckResults.CheckResult c :
        new dev.medallion.ops.quality.CheckResults(service.target()).recent(100)) {
      boolean passed = Boolean.TRUE.equals(c.passed());
      body.append("<tr data-check='")
          .append(esc(c.checkName()))
          .append("'><td>")
          .append(esc(c.checkName()))
          .append("<td>")
          .append(esc(c.pipeline()))
          .append("<td>")
          .append(esc(c.tableName()))
          .append("<td>")
          .append(esc(c.expected() == null ? "" : c.expected()))
          .append("<td>")
          .append(esc(c.actual() == null ? "" : c.actual()))
          .append("<td>")
          .append(badge(passed ? "passed" : "failed", null))
          .append("<td>")
          .append(runLink(c.runId()))
          .append("<td>")
          .append(time(c.executedAt()))
          .append("<td><code>")
          .append(esc(c.checkQuery()))
          .append("</code></tr>");
    }
    body.append("</table>");
    page(ctx, "quality", "Data quality", body, false);
  }

  private void quarantine(Context ctx) {
    String pipeline = blankToNull(ctx.queryParam("pipeline"));
    List<QuarantineEntry> entries = new QuarantineStore(service.target()).list(pipeline, null, 300);
    StringBuilder body = new StringBuilder("<h1>Quarantine</h1>");
    body.append(
        "<p class=muted>Records set aside, newest first. After fixing the cause, replay them with"
            + " <code>medallion quarantine replay --pipeline NAME</code>: they go through the layers that"
            + " refused them again, and each that lands is marked replayed.</p>");
    TreeSet<String> waiting = new TreeSet<>();
    entries.stream().filter(e -> e.replayedAt() == null).forEach(e -> waiting.add(e.pipeline()));
    if (!waiting.isEmpty()) {
      body.append("<form id=replay-form method=post action='")
          .append(REPLAY_PATH)
          .append("' class=filters><label>pipeline<select name=pipeline id=replay-pipeline>");
      waiting.forEach(p -> body.append(option(p, p, false)));
      body.append("</select></label><label>reason contains (optional)")
          .append("<input name=reason_like id=replay-reason></label>")
          .append("<label>write token<input type=password name=token id=replay-token")
          .append(" autocomplete=off></label><button id=replay>Replay</button></form>");
    }
    body.append(quarantineTable(entries, "quarantine"));
    page(ctx, "quarantine", "Quarantine", body, !service.launcher().going().isEmpty());
  }

  /**
   * The Replay button: the same replay as {@code medallion quarantine replay --pipeline NAME}
   * (through the runner, under the pipeline's lock), then the replay run's page.
   */
  private void replay(Context ctx) {
    String pipeline = blankToNull(ctx.formParam("pipeline"));
    RunLauncher.Launched run;
    try {
      if (pipeline == null) {
        throw new RunLauncher.Refused(400, "choose the pipeline whose records to replay");
      }
      run =
          service
              .launcher()
              .launchReplay(
                  pipeline,
                  blankToNull(ctx.formParam("reason_like")),
                  "Replay on the dashboard's quarantine page");
    } catch (RunLauncher.Refused e) {
      ctx.status(HttpStatus.forStatus(e.status()));
      page(
          ctx,
          "quarantine",
          "Replay refused",
          new StringBuilder(
              "<h1>Not replayed</h1><p class=error id=replay-error>"
                  + esc(e.getMessage())
                  + "</p>"),
          false);
      return;
    }
    ctx.redirect("/runs/" + run.runId(), HttpStatus.SEE_OTHER);
  }

  private void events(Context ctx) {
    List<dev.medallion.ops.events.EventLog.Event> events =
        new dev.medallion.ops.events.EventLog(service.target()).recent(200);
    StringBuilder body = new StringBuilder("<h1>Events</h1>");
    body.append(
        "<p class=muted>The events outbox (ops.events), newest first, and where each event's"
            + " delivery to every configured webhook stands (ops.event_deliveries).</p>");
    body.append("<table id=events><tr><th>id<th>event<th>pipeline<th>run<th>at")
        .append("<th>deliveries<th>last error</tr>");
    for (dev.medallion.ops.events.EventLog.Event e : events) {
      body.append("<tr data-event='")
          .append(e.id())
          .append("'><td class=n>")
          .append(e.id())
          .append("<td>")
          .append(esc(e.type()))
          .append("<td>")
          .append(esc(e.pipeline()))
          .append("<td>")
          .append(e.runId() == null ? "" : runLink(e.runId()))
          .append("<td>")
          .append(time(e.createdAt()))
          .append("<td>")
          .append(
              e.deliveries().isEmpty()
                  ? "<span class=muted>no webhook</span>"
                  : esc(e.deliveries()))
          .append("<td class=error>")
          .append(esc(e.lastError() == null ? "" : e.lastError()))
          .append("</tr>");
    }
    body.append("</table>");
    page(ctx, "events", "Events", body, false);
  }

  // ---- pieces ----

  private String runTable(List<ExecutionView> runs, String id) {
    StringBuilder t =
        new StringBuilder(
            "<table id=" + id + "><tr><th>run<th>pipeline<th>status<th>started<th>duration");
    for (Layer layer : Layer.values()) {
      t.append("<th>").append(layer.label());
    }
    t.append("<th>quarantined</tr>");
    for (ExecutionView run : runs) {
      t.append("<tr data-run='")
          .append(esc(run.id()))
          .append("' data-status=")
          .append(run.status())
          .append("><td>")
          .append(runLink(run.id()))
          .append("<td>")
          .append(esc(run.pipeline()))
          .append("<td>")
          .append(badge(run.status(), null))
          .append("<td>")
          .append(time(run.startedAt()))
          .append("<td class=n>")
          .append(duration(run.totalDurationMillis()));
      for (Layer layer : Layer.values()) {
        ExecutionView.LayerView l =
            run.layers().stream().filter(v -> v.layer() == layer).findFirst().orElse(null);
        t.append(
            l == null || l.status().equals("skipped")
                ? "<td class=muted>"
                : "<td class=n>" + String.format(Locale.ROOT, "%,d", l.out()));
      }
      t.append(num(run.quarantined())).append("</tr>");
    }
    return t.append("</table>").toString();
  }

  /** An inline SVG line per layer: the records each run wrote to it, oldest run on the left. */
  static String chart(List<ExecutionView> newestFirst) {
    List<ExecutionView> runs = new ArrayList<>(newestFirst);
    runs.removeIf(r -> r.startedAt() == null);
    java.util.Collections.reverse(runs);
    int width = 720;
    int height = 220;
    int left = 60;
    int bottom = 30;
    StringBuilder svg =
        new StringBuilder("<svg id=records-chart xmlns='http://www.w3.org/2000/svg' width=")
            .append(width)
            .append(" height=")
            .append(height)
            .append(" style='background:#fff;border:1px solid #dde2e8'>");
    if (runs.isEmpty()) {
      return svg.append("<text x=20 y=30 fill='#6b7785'>No runs to chart.</text></svg>").toString();
    }
    long max = 1;
    for (ExecutionView r : runs) {
      for (ExecutionView.LayerView l : r.layers()) {
        max = Math.max(max, l.out());
      }
    }
    int plotW = width - left - 20;
    int plotH = height - bottom - 20;
    svg.append("<line x1=")
        .append(left)
        .append(" y1=")
        .append(height - bottom)
        .append(" x2=")
        .append(width - 20)
        .append(" y2=")
        .append(height - bottom)
        .append(" stroke='#999'/><line x1=")
        .append(left)
        .append(" y1=20 x2=")
        .append(left)
        .append(" y2=")
        .append(height - bottom)
        .append(" stroke='#999'/>");
    svg.append("<text x=4 y=26 font-size=11>")
        .append(String.format(Locale.ROOT, "%,d", max))
        .append("</text>");
    svg.append("<text x=4 y=").append(height - bottom).append(" font-size=11>0</text>");
    svg.append("<text x=")
        .append(left)
        .append(" y=")
        .append(height - 8)
        .append(" font-size=11>")
        .append(esc(TIME.format(runs.get(0).startedAt())))
        .append("</text>");
    svg.append("<text x=")
        .append(width - 20)
        .append(" y=")
        .append(height - 8)
        .append(" font-size=11 text-anchor=end>")
        .append(esc(TIME.format(runs.get(runs.size() - 1).startedAt())))
        .append("</text>");
    int legend = left + 10;
    for (Layer layer : Layer.values()) {
      StringBuilder points = new StringBuilder();
      StringBuilder dots = new StringBuilder();
      for (int i = 0; i < runs.size(); i++) {
        ExecutionView r = runs.get(i);
        ExecutionView.LayerView l =
            r.layers().stream()
                .filter(v -> v.layer() == layer && !v.status().equals("skipped"))
                .findFirst()
                .orElse(null);
        if (l == null) {
          continue;
        }
        double x = left + (runs.size() == 1 ? plotW / 2.0 : plotW * i / (double) (runs.size() - 1));
        double y = 20 + plotH - plotH * l.out() / (double) max;
        String xy = String.format(Locale.ROOT, "%.1f,%.1f", x, y);
        points.append(xy).append(' ');
        dots.append(
            String.format(
                Locale.ROOT,
                "<circle cx=%.1f cy=%.1f r=3 fill='%s'><title>%s %s: %,d</title></circle>",
                x,
                y,
                COLORS.get(layer),
                esc(r.id()),
                layer.label(),
                l.out()));
      }
      if (points.length() == 0) {
        continue;
      }
      svg.append("<polyline class='series-")
          .append(layer.label())
          .append("' fill=none stroke='")
          .append(COLORS.get(layer))
          .append("' stroke-width=2 points='")
          .append(points.toString().strip())
          .append("'/>")
          .append(dots);
      svg.append("<rect x=")
          .append(legend)
          .append(" y=6 width=10 height=10 fill='")
          .append(COLORS.get(layer))
          .append("'/><text x=")
          .append(legend + 14)
          .append(" y=15 font-size=11>")
          .append(layer.label())
          .append("</text>");
      legend += 80;
    }
    return svg.append("</svg>").toString();
  }

  private String quarantineTable(List<QuarantineEntry> entries, String id) {
    StringBuilder t =
        new StringBuilder(
            "<table id="
                + id
                + "><tr><th>id<th>pipeline<th>layer<th>class<th>where<th>reason<th>run<th>replay</tr>");
    for (QuarantineEntry e : entries) {
      t.append("<tr><td class=n>")
          .append(e.id())
          .append("<td>")
          .append(esc(e.pipeline()))
          .append("<td>")
          .append(e.layer().label())
          .append("<td>")
          .append(e.errorClass().label())
          .append("<td>")
          .append(esc(e.where()))
          .append("<td>")
          .append(esc(e.reason()))
          .append("<td>")
          .append(e.runId() == null ? "" : runLink(e.runId()))
          .append("<td>")
          .append(
              e.replayedAt() == null
                  ? (e.replayRunId() == null
                      ? "waiting"
                      : "set aside again by " + esc(e.replayRunId()))
                  : "replayed by " + esc(e.replayRunId()))
          .append("</tr>");
    }
    if (entries.isEmpty()) {
      t.append("<tr><td colspan=8 class=muted>Nothing set aside.</tr>");
    }
    return t.append("</table>").toString();
  }

  private String retryForm(String runId) {
    return "<form method=post action='/runs/"
        + esc(runId)
        + "/retry' style='margin:0'><input type=hidden name=form_key value='"
        + service.access().formKey()
        + "'><button type=submit class=retry data-run='"
        + esc(runId)
        + "'>Retry</button></form>";
  }

  private static void page(
      Context ctx, String tab, String title, StringBuilder body, boolean refresh) {
    StringBuilder html =
        new StringBuilder("<!doctype html><html lang=en><head><meta charset=utf-8><title>")
            .append(esc(title))
            .append(" - Medallion</title>");
    if (refresh) {
      html.append("<meta http-equiv=refresh content=").append(REFRESH_SECONDS).append(">");
    }
    html.append("<style>").append(STYLE).append("</style></head><body><header><b>Medallion</b>");
    for (String[] link :
        new String[][] {
          {"today", "/", "Today"},
          {"history", "/history", "History"},
          {"failed", "/failed", "Failed jobs"},
          {"files", "/files", "Files"},
          {"quality", "/quality", "Data quality"},
          {"quarantine", "/quarantine", "Quarantine"},
          {"events", "/events", "Events"}
        }) {
      html.append("<a id=nav-")
          .append(link[0])
          .append(" href='")
          .append(link[1])
          .append("'")
          .append(link[0].equals(tab) ? " class=on" : "")
          .append(">")
          .append(link[2])
          .append("</a>");
    }
    html.append("</header><main>").append(body);
    if (refresh) {
      html.append("<p class=muted id=auto-refresh>Runs are going: this page reloads every ")
          .append(REFRESH_SECONDS)
          .append(" s.</p>");
    }
    html.append("</main></body></html>");
    ctx.contentType("text/html; charset=utf-8").result(html.toString());
  }

  private static String badge(String status, @Nullable String id) {
    return "<span class='s s-"
        + esc(status)
        + "'"
        + (id == null ? "" : " id=" + id)
        + ">"
        + esc(status)
        + "</span>";
  }

  private static String row(String name, String html) {
    return "<tr><th>" + esc(name) + "<td>" + html + "</tr>";
  }

  private static String num(long n) {
    return "<td class=n>" + String.format(Locale.ROOT, "%,d", n);
  }

  private static String runLink(String id) {
    return "<a href='/runs/" + esc(id) + "'>" + esc(id) + "</a>";
  }

  private static String option(String value, String label, boolean selected) {
    return "<option value='"
        + esc(value)
        + "'"
        + (selected ? " selected" : "")
        + ">"
        + esc(label)
        + "</option>";
  }

  private static String query(String name, @Nullable String value) {
    return value == null ? "" : name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8) + "&";
  }

  private static String time(@Nullable Instant at) {
    return at == null ? "<span class=muted>-</span>" : TIME.format(at);
  }

  private static String duration(@Nullable Long millis) {
    if (millis == null) {
      return "<span class=muted>-</span>";
    }
    return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private static String score(@Nullable Double score) {
    return score == null ? "-" : String.format(Locale.ROOT, "%.2f%%", score);
  }

  @Nullable
  private static String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  static String esc(@Nullable String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
