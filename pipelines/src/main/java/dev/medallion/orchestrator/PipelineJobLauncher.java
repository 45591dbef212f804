package dev.medallion.orchestrator;

import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.ops.Layer;
import dev.medallion.ops.Mode;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.orchestrator.IngestionConfig.Job;
import dev.medallion.platform.JobRunner;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.PipelineRegistry;
import dev.medallion.platform.RunRequest;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * Runs a job through the platform's {@link JobRunner} as its service's registered pipeline with
 * {@code --streams=DATA_TYPE --env=ENVIRONMENT}, all layers, incremental: the same run history,
 * lock, quarantine and counts as {@code medallion run}.
 */
public final class PipelineJobLauncher implements JobLauncher {
  private final PipelineRegistry registry;
  private final @Nullable JdbcTarget target;
  private final String profile;
  private final HttpClientConfiguration http;

  /** {@code target} may be null for a launcher that only checks (--dry-run). */
  public PipelineJobLauncher(
      PipelineRegistry registry,
      @Nullable JdbcTarget target,
      String profile,
      HttpClientConfiguration http) {
    this.registry = registry;
    this.target = target;
    this.profile = profile;
    this.http = http;
  }

  /** The request a job makes of its pipeline. */
  public RunRequest request(Job job, String environment) {
    return RunRequest.of(
        null,
        Mode.INCREMENTAL,
        profile,
        List.of("--streams=" + job.dataType(), "--env=" + environment));
  }

  @Override
  public Optional<String> check(IngestionConfig config, Job job, String environment) {
    Optional<PipelineDefinition<?>> definition = registry.find(config.pipelineOf(job));
    if (definition.isEmpty()) {
      return Optional.of(notRegistered(config.pipelineOf(job)));
    }
    try {
      JobRunner.plan(definition.get(), request(job, environment));
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(
          "the " + config.pipelineOf(job) + " pipeline refuses the job's flags: " + e.getMessage());
    }
  }

  @Override
  public Launch launch(IngestionConfig config, Job job, String environment, PrintStream log) {
    if (target == null) {
      throw new IllegalStateException("a checking launcher cannot launch");
    }
    String pipeline = config.pipelineOf(job);
    Optional<PipelineDefinition<?>> definition = registry.find(pipeline);
    if (definition.isEmpty()) {
      return new Launch(null, false, 0, notRegistered(pipeline));
    }
    JobRunner.Plan<?> plan = JobRunner.plan(definition.get(), request(job, environment));
    JobRunner.Outcome outcome = new JobRunner(target, log, http).run(plan);
    long records =
        plan.layers().contains(Layer.BRONZE)
            ? outcome.counts().layer(Layer.BRONZE).out()
            : plan.layers().stream()
                .sorted()
                .findFirst()
                .map(l -> outcome.counts().layer(l).out())
                .orElse(0L);
    return new Launch(outcome.runId(), outcome.succeeded(), records, outcome.error());
  }

  private static String notRegistered(String pipeline) {
    return "no pipeline named "
        + pipeline
        + " is registered in this build (medallion pipelines lists them)";
  }
}
