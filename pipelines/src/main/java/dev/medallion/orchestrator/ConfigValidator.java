package dev.medallion.orchestrator;

import dev.medallion.orchestrator.IngestionConfig.Job;
import dev.medallion.orchestrator.IngestionConfig.JobGroup;
import dev.medallion.orchestrator.IngestionConfig.Problem;
import dev.medallion.orchestrator.IngestionConfig.Service;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What {@code medallion config validate} checks beyond the types: every cron parses, the time zone
 * exists, every job names a known service and data type and an environment with a landing bucket,
 * groups name existing jobs, every job lists its dependencies (and, asked to, they are set).
 */
public final class ConfigValidator {
  private static final Pattern ENV_VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private ConfigValidator() {}

  /** The problems of meaning, in file order. */
  public static List<Problem> problems(IngestionConfig config) {
    List<Problem> problems = new ArrayList<>();
    IngestionConfig.Global global = config.global();
    try {
      ZoneId.of(global.timezone());
    } catch (DateTimeException e) {
      problems.add(
          new Problem(
              "global.timezone",
              "'"
                  + global.timezone()
                  + "' is not a time zone: use a region such as Europe/Paris or UTC"));
    }
    if (global.retryAttempts() < 0) {
      problems.add(new Problem("global.retry_attempts", "use 0 or more"));
    }
    if (global.maxParallelJobs() < 1) {
      problems.add(new Problem("global.max_parallel_jobs", "use 1 or more"));
    }
    if (global.timeoutMinutes() < 1) {
      problems.add(new Problem("global.timeout_minutes", "use 1 or more"));
    }
    if (global.landingBuckets().isEmpty()) {
      problems.add(
          new Problem(
              "global",
              "names no environment: add a landing bucket per environment, e.g. gcs_bucket_dev:"
                  + " my-bucket-dev"));
    }
    for (Service service : config.services().values()) {
      String path = "services." + service.name();
      if (!KnownServices.services().contains(service.name())) {
        problems.add(
            new Problem(
                path,
                "unknown service: known services are "
                    + String.join(", ", KnownServices.services())));
        continue;
      }
      List<String> types = service.supportedDataTypes();
      for (int i = 0; i < types.size(); i++) {
        if (!KnownServices.dataTypes(service.name()).contains(types.get(i))) {
          problems.add(
              new Problem(
                  path + ".supported_data_types[" + i + "]",
                  notADataType(types.get(i), service.name())));
        }
      }
    }
    for (Job job : config.jobs().values()) {
      problems.addAll(jobProblems(config, job));
    }
    for (JobGroup group : config.groups().values()) {
      String path = "job_groups." + group.name() + ".jobs";
      if (group.jobs().isEmpty()) {
        problems.add(new Problem(path, "is empty: list the job ids of the group"));
      }
      for (int i = 0; i < group.jobs().size(); i++) {
        if (!config.jobs().containsKey(group.jobs().get(i))) {
          problems.add(
              new Problem(
                  path + "[" + i + "]",
                  "'" + group.jobs().get(i) + "' is not a job of this file (see jobs:)"));
        }
      }
    }
    return problems;
  }

  private static List<Problem> jobProblems(IngestionConfig config, Job job) {
    List<Problem> problems = new ArrayList<>();
    String path = "jobs." + job.id();
    Service service = config.services().get(job.service());
    if (!job.service().isEmpty()) {
      if (!KnownServices.services().contains(job.service())) {
        problems.add(
            new Problem(
                path + ".service",
                "'"
                    + job.service()
                    + "' is not a known service: use "
                    + String.join(", ", KnownServices.services())));
      } else if (service == null) {
        problems.add(
            new Problem(
                path + ".service", "'" + job.service() + "' is not under services: add it there"));
      }
    }
    if (!job.dataType().isEmpty() && KnownServices.services().contains(job.service())) {
      if (!KnownServices.dataTypes(job.service()).contains(job.dataType())) {
        problems.add(new Problem(path + ".data_type", notADataType(job.dataType(), job.service())));
      } else if (service != null
          && !service.supportedDataTypes().isEmpty()
          && !service.supportedDataTypes().contains(job.dataType())) {
        problems.add(
            new Problem(
                path + ".data_type",
                "'"
                    + job.dataType()
                    + "' is not in services."
                    + job.service()
                    + ".supported_data_types"));
      }
    }
    if (!job.cron().isBlank()) {
      try {
        Cron.parse(job.cron());
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(path + ".cron", "'" + job.cron() + "' " + e.getMessage()));
      }
    }
    Map<String, String> buckets = config.global().landingBuckets();
    if (!job.environment().isBlank() && !buckets.containsKey(job.environment())) {
      problems.add(
          new Problem(
              path + ".environment",
              "'"
                  + job.environment()
                  + "' has no landing bucket (global.gcs_bucket_"
                  + job.environment()
                  + "); environments: "
                  + String.join(", ", new TreeSet<>(buckets.keySet()))));
    }
    if (job.dependencies().isEmpty()) {
      problems.add(
          new Problem(
              path + ".dependencies",
              "lists none: name the environment variables the job needs (its secrets)"));
    }
    for (int i = 0; i < job.dependencies().size(); i++) {
      if (!ENV_VAR.matcher(job.dependencies().get(i)).matches()) {
        problems.add(
            new Problem(
                path + ".dependencies[" + i + "]",
                "'" + job.dependencies().get(i) + "' is not an environment variable name"));
      }
    }
    return problems;
  }

  /**
   * With {@code --check-env}: each dependency of an enabled job that the environment does not set
   * (or sets empty). Only names appear, never values.
   */
  public static List<Problem> unsetDependencies(
      IngestionConfig config, Function<String, String> environment) {
    List<Problem> problems = new ArrayList<>();
    for (Job job : config.jobs().values()) {
      if (job.enabled()) {
        problems.addAll(unsetDependencies(job, environment));
      }
    }
    return problems;
  }

  /** One job's dependencies the environment does not set. */
  public static List<Problem> unsetDependencies(Job job, Function<String, String> environment) {
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < job.dependencies().size(); i++) {
      String name = job.dependencies().get(i);
      String value = environment.apply(name);
      if (value == null || value.isBlank()) {
        problems.add(
            new Problem(
                "jobs." + job.id() + ".dependencies[" + i + "]",
                name + " is not set in the environment"));
      }
    }
    return problems;
  }

  private static String notADataType(String dataType, String service) {
    return "'"
        + dataType
        + "' is not a data type of "
        + service
        + ": use "
        + String.join(", ", KnownServices.dataTypes(service));
  }
}
