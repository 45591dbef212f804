package dev.medallion.pipelines;

import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.Sleeper;
import dev.medallion.ops.Mode;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.platform.JobRunner;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.RunRequest;
import dev.medallion.platform.UsageError;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches an inventory source (a folder or a Drive folder) by polling: every poll, each pipeline
 * whose files are new or changed (a new version: size and modification time, or Drive's
 * md5Checksum/modifiedTime) gets one batch run reading only those files ({@code --onlyNewFiles})
 * and rewriting the dates they feed as whole snapshots (the CSVs renamed into place after the gold
 * rows are replaced in one transaction). A pipeline with nothing new does not run. What {@code run
 * stock_health --continuous} (one pipeline) and {@code medallion watch} (every pipeline of the
 * routing table; a file no route takes is recorded as skipped once, by the first) do.
 *
 * <p>Each poll's runs are ordinary runs: recorded in ops.pipeline_runs, under the pipeline lock, a
 * failed file retried with {@code medallion retry}. A failed run is reported and the next poll goes
 * on.
 */
public final class InventoryWatch {
  private final JobRunner runner;
  private final JdbcTarget target;
  private final HttpClientConfiguration http;
  private final PrintStream out;
  private final Sleeper sleeper;

  public InventoryWatch(
      JobRunner runner,
      JdbcTarget target,
      HttpClientConfiguration http,
      PrintStream out,
      Sleeper sleeper) {
    this.runner = runner;
    this.target = target;
    this.http = http;
    this.out = out;
    this.sleeper = sleeper;
  }

  /**
   * Polls {@code pipelines} (inventory definitions, in routing-table order) every {@code interval},
   * {@code maxPolls} times (0: until stopped). {@code args} are the pipelines' own flags (the
   * source, --config, --date, ...). Returns 0, or 1 when a run failed.
   */
  public int watch(
      List<PipelineDefinition<?>> pipelines,
      List<String> args,
      String profile,
      List<String> beamArgs,
      Duration interval,
      int maxPolls) {
    for (PipelineDefinition<?> definition : pipelines) {
      if (!(definition instanceof InventoryPipeline)) {
        throw new UsageError(
            definition.name() + " is not an inventory pipeline: it cannot be watched");
      }
      plan(definition, args, profile, beamArgs, pipelines.indexOf(definition)); // checks the flags
    }
    boolean failed = false;
    for (int poll = 1; ; poll++) {
      out.printf(
          "Poll %d%s at %s:%n",
          poll,
          maxPolls > 0 ? " of " + maxPolls : "",
          Instant.now().truncatedTo(ChronoUnit.SECONDS));
      for (int i = 0; i < pipelines.size(); i++) {
        PipelineDefinition<?> definition = pipelines.get(i);
        try {
          JobRunner.Plan<?> plan = plan(definition, args, profile, beamArgs, i);
          int unseen =
              ((InventoryPipeline) definition)
                  .unseenFiles((InventoryOptions) plan.options(), target, http);
          if (unseen == 0) {
            out.printf("  %s: nothing new%n", definition.name());
            continue;
          }
          out.printf("  %s: %d new or changed file(s)%n", definition.name(), unseen);
          failed |= !runner.run(plan).succeeded();
        } catch (UsageError e) {
          throw e;
        } catch (RuntimeException e) {
          failed = true;
          out.printf(
              "  %s: this poll failed: %s (the next poll tries again)%n",
              definition.name(), JobRunner.rootMessage(e));
        }
      }
      if (maxPolls > 0 && poll >= maxPolls) {
        return failed ? 1 : 0;
      }
      out.printf("Next poll in %s (stop with Ctrl-C).%n", describe(interval));
      try {
        sleeper.sleep(interval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return failed ? 1 : 0;
      }
    }
  }

  private static JobRunner.Plan<?> plan(
      PipelineDefinition<?> definition,
      List<String> args,
      String profile,
      List<String> beamArgs,
      int index) {
    List<String> own = new ArrayList<>(args);
    own.add("--onlyNewFiles=true");
    if (index > 0) {
      own.add("--recordUnrouted=false"); // the first pipeline records an unrouted file, once
    }
    return JobRunner.plan(
        definition,
        new RunRequest(null, Mode.INCREMENTAL, null, profile, false, null, own, beamArgs));
  }

  /** 30s, 5m, 1h, or a bare number of seconds. */
  public static Duration parseInterval(String text) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d{1,9})([smh]?)")
            .matcher(text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT));
    long value = m.matches() ? Long.parseLong(m.group(1)) : 0;
    if (value < 1) {
      throw new UsageError(
          "--poll-interval '" + text + "' is not a duration: use e.g. 30s, 5m or 1h");
    }
    return switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(value);
      case "h" -> Duration.ofHours(value);
      default -> Duration.ofSeconds(value);
    };
  }

  public static String describe(Duration interval) {
    long s = interval.getSeconds();
    return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
  }
}
