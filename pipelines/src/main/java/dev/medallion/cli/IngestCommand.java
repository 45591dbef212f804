package dev.medallion.cli;

import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.ops.JobScheduleStore;
import dev.medallion.ops.JobScheduleStore.JobState;
import dev.medallion.ops.Redactor;
import dev.medallion.orchestrator.ConfigReader;
import dev.medallion.orchestrator.IngestReport;
import dev.medallion.orchestrator.IngestionConfig;
import dev.medallion.orchestrator.IngestionConfig.Job;
import dev.medallion.orchestrator.IngestionConfig.Problem;
import dev.medallion.orchestrator.JobTiming;
import dev.medallion.orchestrator.Orchestrator;
import dev.medallion.orchestrator.PipelineJobLauncher;
import dev.medallion.platform.PipelineRegistry;
import dev.medallion.platform.RunnerProfiles;
import dev.medallion.platform.TablePrinter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code medallion ingest}: runs the jobs of ingestion-config.yaml that are due (or the named ones)
 * as their services' pipelines, and prints the summary.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the jobs of ingestion-config.yaml that are due (crons read in global.timezone; a job is"
          + " due when its most recent fire time is later than the one its last succeeded run"
          + " served), or the named job or group, at most global.max_parallel_jobs at once, each"
          + " failure isolated, and prints the summary.",
      "Each job is a run of its service's pipeline with --streams=DATA_TYPE --env=ENVIRONMENT."
    },
    footer = {
      "",
      "Exit codes: 0 every job succeeded (or none was due), 1 a job failed, 2 bad flags or config."
    })
final class IngestCommand implements Callable<Integer> {
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z");

  @Mixin DatabaseOptions database;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "The configuration file (default: ./ingestion-config.yaml, else the copy in the jar).")
  Path config;

  @Option(names = "--job", paramLabel = "ID", description = "Run this job now, due or not.")
  String job;

  @Option(
      names = "--group",
      paramLabel = "NAME",
      description = "Run the enabled jobs of this job group now, due or not.")
  String group;

  @Option(
      names = "--force",
      arity = "0..1",
      description = "Run every enabled job now, due or not (--force=false: only the due ones).")
  boolean force;

  @Option(
      names = "--env",
      paramLabel = "ENV",
      description =
          "Run the jobs in this environment (dev or prd: a global.gcs_bucket_ENV of the file)"
              + " instead of each job's own; the due check is kept per environment.")
  String env;

  @Option(
      names = "--at",
      paramLabel = "TIMESTAMP",
      description =
          "Act as if it were this moment (2026-03-29T01:00:00Z, 2026-03-29T03:00+02:00, or a local"
              + " 2026-03-29T03:00 in global.timezone); default now.")
  String at;

  @Option(
      names = "--list",
      description = "List each job with its last run, next fire time and whether it is due now.")
  boolean list;

  @Option(
      names = "--dry-run",
      description =
          "Check the config and flags, say which jobs would be considered, and stop before"
              + " touching any data or the database.")
  boolean dryRun;

  @Option(
      names = "--trigger",
      defaultValue = "${env:GITHUB_EVENT_NAME}",
      description =
          "What started this ingestion, for the summary (default: $GITHUB_EVENT_NAME, else"
              + " manual when a job, group or --force is given and schedule otherwise).")
  String trigger;

  @Option(
      names = "--summary",
      paramLabel = "FILE",
      defaultValue = "${env:GITHUB_STEP_SUMMARY}",
      description =
          "Also append the summary in Markdown to this file (default: $GITHUB_STEP_SUMMARY).")
  Path summary;

  @Option(
      names = "--error-logs",
      paramLabel = "DIR",
      description = "Write each failed job's output to DIR/JOB.log (kept as a CI artifact).")
  Path errorLogs;

  @Option(
      names = "--profile",
      defaultValue = RunnerProfiles.DEFAULT,
      description = "Runner profile of every job's run (default: ${DEFAULT-VALUE}).")
  String profile;

  @Override
  public Integer call() throws IOException {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ConfigReader.Loaded loaded = ConfigReader.load(config);
    List<Problem> problems = ConfigCommand.allProblems(loaded, false);
    IngestionConfig c = loaded.config();
    Instant now;
    try {
      now = moment(at, c.global().zone());
    } catch (DateTimeException e) {
      problems.add(
          new Problem(
              "--at",
              "'"
                  + at
                  + "' is not a time: use 2026-03-29T01:00:00Z, 2026-03-29T03:00+02:00 or a local"
                  + " 2026-03-29T03:00 (read in global.timezone)"));
      now = Instant.now();
    }
    Orchestrator.Request request =
        new Orchestrator.Request(
            blankToNull(job), blankToNull(group), force, blankToNull(env), now, trigger());
    if (problems.isEmpty()) {
      problems.addAll(Orchestrator.requestProblems(c, request));
    }
    if (!problems.isEmpty()) {
      problems.forEach(err::println);
      err.printf(
          "%d problem(s); nothing was run (medallion config validate checks the file)%n",
          problems.size());
      return 2;
    }
    PipelineRegistry registry = PipelineRegistry.load();
    if (dryRun) {
      return dryRun(c, request, registry, out, err);
    }
    try (DatabaseOptions.Database db = database.open()) {
      JobScheduleStore store = new JobScheduleStore(db.target);
      Orchestrator orchestrator =
          new Orchestrator(
              c,
              store,
              new PipelineJobLauncher(
                  registry, db.target, profile, HttpClientConfiguration.create()),
              System::getenv);
      if (list) {
        list(c, orchestrator.timings(request.environment(), now), out);
        return 0;
      }
      List<JobTiming> selected = orchestrator.select(request);
      ConfigCommand.warnUnregistered(c, registry, out);
      List<Orchestrator.JobResult> results = orchestrator.run(selected, out);
      IngestReport report =
          new IngestReport(
              now,
              c.global().zone(),
              request.trigger(),
              environments(c, request, selected),
              c.jobs().size(),
              results);
      report.print(out);
      writeSummary(report);
      writeErrorLogs(results, out);
      return report.anyFailed() ? 1 : 0;
    }
  }

  private int dryRun(
      IngestionConfig c,
      Orchestrator.Request request,
      PipelineRegistry registry,
      PrintStream out,
      PrintStream err) {
    PipelineJobLauncher checker =
        new PipelineJobLauncher(registry, null, profile, HttpClientConfiguration.create());
    List<Job> considered = new ArrayList<>();
    for (Job j : c.jobs().values()) {
      // Without the state only the schedule-free choices are known; otherwise every enabled job
      // may be due.
      if (Orchestrator.named(c, request, j).orElse(j.enabled())) {
        considered.add(j);
      }
    }
    ConfigCommand.warnUnregistered(c, registry, out);
    List<String> refused = new ArrayList<>();
    for (Job j : considered) {
      String environment = request.environment() == null ? j.environment() : request.environment();
      if (registry.find(c.pipelineOf(j)).isPresent()) {
        checker.check(c, j, environment).ifPresent(p -> refused.add("jobs." + j.id() + ": " + p));
      }
    }
    if (!refused.isEmpty()) {
      refused.forEach(err::println);
      return 2;
    }
    String which =
        request.jobId() != null
            ? "job " + request.jobId()
            : request.group() != null
                ? "the enabled jobs of group " + request.group()
                : request.force()
                    ? "every enabled job (--force)"
                    : "the enabled jobs whose cron fired since their last succeeded run"
                        + " (read from ops.job_schedule_state when it runs)";
    out.printf(
        "Plan: ingest %s at %s, trigger %s, environment %s, from %s: %s. Config and flags are"
            + " valid; nothing was run.%n",
        which,
        request.now(),
        request.trigger(),
        request.environment() == null ? "as each job says" : request.environment(),
        c.source(),
        String.join(", ", considered.stream().map(Job::id).toList()));
    return 0;
  }

  private void list(IngestionConfig c, List<JobTiming> timings, PrintStream out) {
    ZoneId zone = c.global().zone();
    List<String[]> rows = new ArrayList<>();
    for (JobTiming t : timings) {
      JobState s = t.state();
      rows.add(
          new String[] {
            t.job().id(),
            t.environment(),
            t.job().enabled() ? t.job().cron() : t.job().cron() + " (disabled)",
            s.lastStatus() == null ? "never" : s.lastStatus() + " " + local(s.lastEndedAt(), zone),
            s.lastServedFire() == null ? "" : local(s.lastServedFire(), zone),
            t.nextFire().map(f -> local(f, zone)).orElse(""),
            t.due() ? "yes (fired " + local(t.lastFire().orElseThrow(), zone) + ")" : "no"
          });
    }
    TablePrinter.print(
        out,
        "Jobs of " + c.source() + " (times in " + zone + ")",
        new String[] {"job", "env", "cron", "last run", "served fire", "next fire", "due now"},
        rows);
  }

  private static String local(Instant instant, ZoneId zone) {
    return instant == null ? "" : instant.atZone(zone).format(LOCAL);
  }

  /** --at as an instant: with an offset or Z as written, without one in the config's zone. */
  static Instant moment(String text, ZoneId zone) {
    if (text == null || text.isBlank()) {
      return Instant.now();
    }
    String t = text.strip();
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeException e) {
      return LocalDateTime.parse(t).atZone(zone).toInstant();
    }
  }

  private String trigger() {
    if (trigger != null && !trigger.isBlank()) {
      return trigger;
    }
    return blankToNull(job) != null || blankToNull(group) != null || force ? "manual" : "schedule";
  }

  private static String environments(
      IngestionConfig c, Orchestrator.Request request, List<JobTiming> selected) {
    if (request.environment() != null) {
      return request.environment();
    }
    TreeSet<String> envs = new TreeSet<>();
    (selected.isEmpty()
            ? c.jobs().values().stream().map(Job::environment).toList()
            : selected.stream().map(JobTiming::environment).toList())
        .forEach(envs::add);
    return String.join(", ", envs) + " (each job's own)";
  }

  private void writeSummary(IngestReport report) throws IOException {
    if (summary == null || summary.toString().isBlank()) {
      return;
    }
    Files.writeString(
        summary,
        Redactor.process().redact(report.markdown()),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private void writeErrorLogs(List<Orchestrator.JobResult> results, PrintStream out)
      throws IOException {
    if (errorLogs == null) {
      return;
    }
    for (Orchestrator.JobResult r : results) {
      if (r.status() != Orchestrator.Status.SUCCEEDED) {
        Files.createDirectories(errorLogs);
        Path file = errorLogs.resolve(r.job().id() + ".log");
        Files.writeString(
            file,
            Redactor.process()
                .redact(
                    r.log()
                        + "\n"
                        + r.job().id()
                        + " "
                        + r.status().label()
                        + ": "
                        + Optional.ofNullable(r.error()).orElse("")
                        + "\n"),
            StandardCharsets.UTF_8);
        out.println("error log: " + file);
      }
    }
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}
