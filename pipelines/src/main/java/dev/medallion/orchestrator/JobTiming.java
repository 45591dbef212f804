package dev.medallion.orchestrator;

import dev.medallion.ops.JobScheduleStore.JobState;
import dev.medallion.orchestrator.IngestionConfig.Job;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Where a job stands at a moment: its cron's most recent fire time at or before it, the next one,
 * and what its last runs served. Due when that fire time is later than the one its last succeeded
 * run served: a trigger that starts late or one that is skipped still finds the fire time unserved
 * and runs the job once; the run after it finds it served.
 */
public record JobTiming(
    Job job,
    String environment,
    Optional<Instant> lastFire,
    Optional<Instant> nextFire,
    JobState state) {

  /** The timing of a job in an environment at {@code now}, its cron read in {@code zone}. */
  public static JobTiming of(
      Job job, String environment, ZoneId zone, JobState state, Instant now) {
    Cron cron = Cron.parse(job.cron());
    return new JobTiming(
        job, environment, cron.lastAtOrBefore(now, zone), cron.nextAfter(now, zone), state);
  }

  /** Enabled, and its most recent fire time is later than the one last served. */
  public boolean due() {
    return job.enabled() && firedSinceServed();
  }

  /** The most recent fire time is later than the one last served (whether enabled or not). */
  public boolean firedSinceServed() {
    return lastFire.isPresent()
        && (state.lastServedFire() == null || lastFire.get().isAfter(state.lastServedFire()));
  }
}
