package dev.medallion.orchestrator;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ingestion-config.yaml as typed values (README "Personal data ingestion"): global settings with
 * one landing bucket per environment, the services, the jobs and the job groups. {@link
 * ConfigReader} makes one from the file, {@link ConfigValidator} checks what the types cannot.
 */
public record IngestionConfig(
    String source,
    Global global,
    Map<String, Service> services,
    Map<String, Job> jobs,
    Map<String, JobGroup> groups) {

  public IngestionConfig {
    services = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(services));
    jobs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(jobs));
    groups = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(groups));
  }

  /**
   * The {@code global} block: the zone crons are read in, retries, parallelism, the time one job
   * may take, and the landing bucket of each environment ({@code gcs_bucket_dev: ...}).
   */
  public record Global(
      String timezone,
      int retryAttempts,
      int maxParallelJobs,
      int timeoutMinutes,
      Map<String, String> landingBuckets) {
    public Global {
      landingBuckets = Map.copyOf(landingBuckets);
    }

    /** The zone, or UTC while the name is not a zone (the validator reports it). */
    public ZoneId zone() {
      try {
        return ZoneId.of(timezone);
      } catch (java.time.DateTimeException e) {
        return java.time.ZoneOffset.UTC;
      }
    }
  }

  /**
   * A service: the registered pipeline that reads it (its own name unless {@code pipeline} says
   * otherwise) and the data types its jobs may ask for.
   */
  public record Service(
      String name, String description, String pipeline, List<String> supportedDataTypes) {
    public Service {
      supportedDataTypes = List.copyOf(supportedDataTypes);
    }
  }

  /** A job: one data type of one service, on a cron, in an environment. */
  public record Job(
      String id,
      String service,
      String dataType,
      String description,
      String cron,
      String environment,
      boolean enabled,
      List<String> dependencies) {
    public Job {
      dependencies = List.copyOf(dependencies);
    }
  }

  /** A named list of jobs ({@code medallion ingest --group NAME}). */
  public record JobGroup(String name, String description, List<String> jobs) {
    public JobGroup {
      jobs = List.copyOf(jobs);
    }
  }

  /** One problem with the file, at its path in it ({@code jobs.strava_activities.cron}). */
  public record Problem(String path, String message) {
    @Override
    public String toString() {
      return path + ": " + message;
    }
  }

  /** The pipeline that runs a job: its service's, or the service's own name. */
  public String pipelineOf(Job job) {
    return Optional.ofNullable(services.get(job.service()))
        .map(Service::pipeline)
        .orElse(job.service());
  }
}
