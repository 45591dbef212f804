package dev.medallion.orchestrator;

import dev.medallion.orchestrator.IngestionConfig.Job;
import java.io.PrintStream;
import java.util.Optional;
import javax.annotation.Nullable;

/** Runs one job (a data type of a service, in an environment) as its service's pipeline. */
public interface JobLauncher {
  /** How one attempt went; {@code runId} is null when no run started. */
  record Launch(@Nullable String runId, boolean succeeded, long records, @Nullable String error) {}

  /**
   * Checks, without touching data, that the job could be started: its pipeline is registered and
   * takes the job's flags. Empty when it could; otherwise what is wrong.
   */
  Optional<String> check(IngestionConfig config, Job job, String environment);

  /** Runs the job once, printing the run's progress and summary to {@code log}. */
  Launch launch(IngestionConfig config, Job job, String environment, PrintStream log);
}
