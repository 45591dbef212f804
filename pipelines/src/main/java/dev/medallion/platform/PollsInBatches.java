package dev.medallion.platform;

import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.ops.db.JdbcTarget;
import java.io.PrintStream;

/**
 * A pipeline whose {@code --continuous} is a loop of batch runs, one per poll, each reading only
 * what is new since the last (the inventory pipelines: every poll rewrites whole daily snapshots,
 * which a bounded run does atomically). The CLI hands it the validated continuous plan instead of
 * building a never-ending Beam pipeline.
 */
public interface PollsInBatches {
  /** Polls until stopped (or the plan's own poll limit); returns the exit code. */
  int poll(
      JobRunner runner,
      JdbcTarget target,
      HttpClientConfiguration http,
      JobRunner.Plan<?> plan,
      PrintStream out);
}
