package dev.medallion.orchestrator;

import static org.junit.Assert.assertEquals;

import dev.medallion.ops.JobScheduleStore.JobState;
import dev.medallion.orchestrator.IngestionConfig.Job;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * The due check over a sequence of hourly triggers, with the served fire time kept as the store
 * keeps it (moved only by a succeeded run, to the fire time the run was started for). Which
 * triggers run the job was worked out by hand from the fire times in {@link CronTest}.
 */
public class JobTimingTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  private static Job job(String cron) {
    return new Job("j", "spotify", "recently_played", "", cron, "dev", true, List.of("X"));
  }

  /** Runs the triggers in order; returns the ones that ran the job, with the fire time served. */
  private static List<String> triggers(
      String cron, String served, boolean[] succeeds, String... at) {
    Instant lastServed = served == null ? null : Instant.parse(served);
    List<String> ran = new ArrayList<>();
    for (int i = 0; i < at.length; i++) {
      JobState state = new JobState("j", "dev", lastServed, null, null, null, null, null, null);
      JobTiming timing = JobTiming.of(job(cron), "dev", PARIS, state, Instant.parse(at[i]));
      if (timing.due()) {
        boolean ok = succeeds == null || succeeds[i];
        ran.add(at[i] + (ok ? " serves " + timing.lastFire().orElseThrow() : " fails"));
        if (ok) {
          lastServed = timing.lastFire().orElseThrow();
        }
      }
    }
    return ran;
  }

  @Test
  public void aLateTriggerRunsTheMissedJobOnceAndTheNextTriggerDoesNot() {
    // Every 2 h: 10:00 CET = 09:00Z. The 09:00Z trigger starts 40 minutes late; the one after it
    // at 10:05Z (also late) finds 09:00Z served; 11:00Z is a new fire time.
    assertEquals(
        List.of(
            "2026-01-15T09:40:00Z serves 2026-01-15T09:00:00Z",
            "2026-01-15T11:00:00Z serves 2026-01-15T11:00:00Z"),
        triggers(
            "0 */2 * * *",
            "2026-01-15T07:00:00Z",
            null,
            "2026-01-15T09:40:00Z",
            "2026-01-15T10:05:00Z",
            "2026-01-15T11:00:00Z"));
  }

  @Test
  public void aSkippedTriggerLeavesTheJobDueOnceAtTheNext() {
    // The 09:00Z trigger never ran; at 10:00Z the 09:00Z fire time is still unserved: one run.
    assertEquals(
        List.of("2026-01-15T10:00:00Z serves 2026-01-15T09:00:00Z"),
        triggers("0 */2 * * *", "2026-01-15T07:00:00Z", null, "2026-01-15T10:00:00Z"));
    // Four triggers skipped (06:00Z to 09:00Z: fire times 07:00Z and 09:00Z missed): one run at
    // 10:00Z serves the latest, not one run per missed fire time.
    assertEquals(
        List.of("2026-01-15T10:00:00Z serves 2026-01-15T09:00:00Z"),
        triggers(
            "0 */2 * * *",
            "2026-01-15T05:00:00Z",
            null,
            "2026-01-15T10:00:00Z",
            "2026-01-15T10:30:00Z"));
  }

  @Test
  public void aFailedRunLeavesTheJobDueForTheNextTrigger() {
    assertEquals(
        List.of("2026-01-15T09:00:00Z fails", "2026-01-15T10:00:00Z serves 2026-01-15T09:00:00Z"),
        triggers(
            "0 */2 * * *",
            "2026-01-15T07:00:00Z",
            new boolean[] {false, true, true},
            "2026-01-15T09:00:00Z",
            "2026-01-15T10:00:00Z",
            "2026-01-15T10:30:00Z"));
  }

  @Test
  public void aJobNeverRunIsDueAtItsFirstTrigger() {
    assertEquals(
        List.of("2026-01-15T09:10:00Z serves 2026-01-11T11:00:00Z"),
        triggers("0 12 * * 0", null, null, "2026-01-15T09:10:00Z", "2026-01-15T10:10:00Z"));
  }

  @Test
  public void hourlyTriggersAcrossSpringForwardRunEveryFireTimeOnce() {
    // Fire times (CronTest): 21:00Z, 23:00Z (00:00 CET), 01:00Z (the skipped 02:00), 02:00Z
    // (04:00 CEST), 04:00Z (06:00 CEST). Triggers every UTC hour from 22:00Z to 05:00Z.
    assertEquals(
        List.of(
            "2026-03-28T23:00:00Z serves 2026-03-28T23:00:00Z",
            "2026-03-29T01:00:00Z serves 2026-03-29T01:00:00Z",
            "2026-03-29T02:00:00Z serves 2026-03-29T02:00:00Z",
            "2026-03-29T04:00:00Z serves 2026-03-29T04:00:00Z"),
        triggers(
            "0 */2 * * *",
            "2026-03-28T21:00:00Z",
            null,
            "2026-03-28T22:00:00Z",
            "2026-03-28T23:00:00Z",
            "2026-03-29T00:00:00Z",
            "2026-03-29T01:00:00Z",
            "2026-03-29T02:00:00Z",
            "2026-03-29T03:00:00Z",
            "2026-03-29T04:00:00Z",
            "2026-03-29T05:00:00Z"));
  }

  @Test
  public void hourlyTriggersAcrossFallBackNeverRunTheRepeatedHourTwice() {
    // Fire times: 22:00Z (00:00 CEST), 00:00Z (the first 02:00), 03:00Z (04:00 CET), 05:00Z.
    // The 01:00Z trigger is 02:00 CET, the second 02:00: its fire time 00:00Z is served already.
    assertEquals(
        List.of(
            "2026-10-24T22:00:00Z serves 2026-10-24T22:00:00Z",
            "2026-10-25T00:00:00Z serves 2026-10-25T00:00:00Z",
            "2026-10-25T03:00:00Z serves 2026-10-25T03:00:00Z",
            "2026-10-25T05:00:00Z serves 2026-10-25T05:00:00Z"),
        triggers(
            "0 */2 * * *",
            "2026-10-24T20:00:00Z",
            null,
            "2026-10-24T22:00:00Z",
            "2026-10-24T23:00:00Z",
            "2026-10-25T00:00:00Z",
            "2026-10-25T01:00:00Z",
            "2026-10-25T02:00:00Z",
            "2026-10-25T03:00:00Z",
            "2026-10-25T04:00:00Z",
            "2026-10-25T05:00:00Z"));
  }

  @Test
  public void aDailyJobFollowsParisTimeAcrossBothChanges() {
    // garmin_sleep at 08:00 Paris: 28 Mar 07:00Z (CET), 29 Mar 06:00Z (CEST);
    // 24 Oct 06:00Z (CEST), 25 Oct 07:00Z (CET).
    assertEquals(
        List.of("2026-03-29T06:00:00Z serves 2026-03-29T06:00:00Z"),
        triggers(
            "0 8 * * *",
            "2026-03-28T07:00:00Z",
            null,
            "2026-03-29T05:00:00Z",
            "2026-03-29T06:00:00Z",
            "2026-03-29T07:00:00Z"));
    assertEquals(
        List.of("2026-10-25T07:00:00Z serves 2026-10-25T07:00:00Z"),
        triggers(
            "0 8 * * *",
            "2026-10-24T06:00:00Z",
            null,
            "2026-10-25T06:00:00Z",
            "2026-10-25T07:00:00Z",
            "2026-10-25T08:00:00Z"));
  }

  @Test
  public void aDisabledJobIsNeverDue() {
    Job disabled =
        new Job("j", "spotify", "recently_played", "", "0 * * * *", "dev", false, List.of("X"));
    JobTiming timing =
        JobTiming.of(
            disabled,
            "dev",
            PARIS,
            JobState.never("j", "dev"),
            Instant.parse("2026-01-15T09:00:00Z"));
    assertEquals(false, timing.due());
    assertEquals(true, timing.firedSinceServed());
  }
}
