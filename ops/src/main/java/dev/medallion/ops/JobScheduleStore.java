package dev.medallion.ops;

import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Queries;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * What the ingestion orchestrator remembers of each job in each environment
 * (ops.job_schedule_state, V13): the fire time its last succeeded run served, and how its last
 * attempt went. Only a succeeded run moves the served fire time, and never backwards.
 */
public final class JobScheduleStore {
  /** One job's memory in one environment. */
  public record JobState(
      String jobId,
      String environment,
      @Nullable Instant lastServedFire,
      @Nullable String lastRunId,
      @Nullable String lastStatus,
      @Nullable String lastError,
      @Nullable Instant lastStartedAt,
      @Nullable Instant lastEndedAt,
      @Nullable Long lastRecords) {

    /** A job never run in this environment. */
    public static JobState never(String jobId, String environment) {
      return new JobState(jobId, environment, null, null, null, null, null, null, null);
    }
  }

  private static final String RECORD =
      "INSERT INTO ops.job_schedule_state AS s (job_id, environment, last_served_fire, last_run_id,"
          + " last_status, last_error, last_started_at, last_ended_at, last_records)"
          // Casts: a NULL is bound untyped (as text).
          + " VALUES (?, ?, ?::timestamptz, ?, ?, ?, ?::timestamptz, ?::timestamptz, ?::bigint)"
          + " ON CONFLICT (job_id, environment) DO UPDATE SET"
          // GREATEST ignores NULLs: a failed attempt (NULL) keeps the served fire time, and an
          // older fire time never replaces a newer one.
          + " last_served_fire = GREATEST(s.last_served_fire, excluded.last_served_fire),"
          + " last_run_id = excluded.last_run_id, last_status = excluded.last_status,"
          + " last_error = excluded.last_error, last_started_at = excluded.last_started_at,"
          + " last_ended_at = excluded.last_ended_at, last_records = excluded.last_records";

  private final JdbcTarget target;

  public JobScheduleStore(JdbcTarget target) {
    this.target = target;
  }

  /** Every job's state in one environment, by job id. */
  public Map<String, JobState> states(String environment) {
    Map<String, JobState> states = new LinkedHashMap<>();
    Queries.list(
            target,
            "the job schedule state",
            "SELECT job_id, environment, last_served_fire, last_run_id, last_status, last_error,"
                + " last_started_at, last_ended_at, last_records FROM ops.job_schedule_state"
                + " WHERE environment = ? ORDER BY job_id",
            rs ->
                new JobState(
                    rs.getString(1),
                    rs.getString(2),
                    instant(rs.getObject(3, OffsetDateTime.class)),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    instant(rs.getObject(7, OffsetDateTime.class)),
                    instant(rs.getObject(8, OffsetDateTime.class)),
                    (Long) rs.getObject(9)),
            environment)
        .forEach(s -> states.put(s.jobId(), s));
    return states;
  }

  /** One job's state in one environment (never run: every field but the names empty). */
  public JobState state(String jobId, String environment) {
    JobState state = states(environment).get(jobId);
    return state == null ? JobState.never(jobId, environment) : state;
  }

  /** A succeeded attempt: it served {@code fire} (kept if a later fire time is already served). */
  public void succeeded(
      String jobId,
      String environment,
      @Nullable Instant fire,
      String runId,
      Instant startedAt,
      Instant endedAt,
      long records) {
    record(jobId, environment, fire, runId, "succeeded", null, startedAt, endedAt, records);
  }

  /** A failed attempt: the served fire time stays, so the job is still due. */
  public void failed(
      String jobId,
      String environment,
      @Nullable String runId,
      String error,
      Instant startedAt,
      Instant endedAt) {
    record(
        jobId,
        environment,
        null,
        runId,
        "failed",
        Redactor.process().redact(LogText.bounded(error)),
        startedAt,
        endedAt,
        null);
  }

  private void record(
      String jobId,
      String environment,
      @Nullable Instant fire,
      @Nullable String runId,
      String status,
      @Nullable String error,
      Instant startedAt,
      Instant endedAt,
      @Nullable Long records) {
    Queries.update(
        target,
        "the schedule state of job " + jobId,
        RECORD,
        jobId,
        environment,
        offset(fire),
        runId,
        status,
        error,
        offset(startedAt),
        offset(endedAt),
        records);
  }

  private static @Nullable OffsetDateTime offset(@Nullable Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static @Nullable Instant instant(@Nullable OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
