package dev.medallion.platform;

import dev.medallion.orchestrator.ConfigReader;
import dev.medallion.orchestrator.IngestionConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Where a personal-data run lands its raw pages: {@code --landing} when given (a local folder, made
 * absolute, or gs://BUCKET), else the bucket ingestion-config.yaml's {@code global} names for the
 * run's environment ({@code gcs_bucket_<env>}), as gs://BUCKET. The config is the one {@code
 * medallion ingest} reads without --config: ./ingestion-config.yaml, else the copy in the jar.
 */
public final class Landing {
  private Landing() {}

  /** The landing root for these settings; an {@link IllegalArgumentException} says what to fix. */
  public static String root(@Nullable String landing, String environment) {
    if (landing != null && !landing.isBlank()) {
      if (landing.startsWith("gs://")) {
        if (!landing.matches("gs://[a-z0-9][a-z0-9._-]{1,220}[a-z0-9](/.*)?")) {
          throw new IllegalArgumentException(
              "--landing: " + landing + " is not gs://BUCKET (a bucket name of a-z, 0-9, . _ -)");
        }
        return landing.replaceAll("/+$", "");
      }
      if (landing.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
        throw new IllegalArgumentException(
            "--landing: " + landing + " is neither a local folder nor gs://BUCKET");
      }
      return Path.of(landing).toAbsolutePath().normalize().toString();
    }
    IngestionConfig config;
    try {
      ConfigReader.Loaded loaded = ConfigReader.load(null);
      config = loaded.config();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--env " + environment + ": cannot read ingestion-config.yaml (" + e.getMessage() + ")");
    }
    String bucket = config.global().landingBuckets().get(environment);
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException(
          "--env "
              + environment
              + ": ingestion-config.yaml's global has no gcs_bucket_"
              + environment
              + " (its landing buckets: "
              + config.global().landingBuckets().keySet()
              + "); add one, or give --landing DIR");
    }
    return "gs://" + bucket;
  }

  /** Adds the problem with these settings, if any, to {@code problems}. */
  public static void check(List<String> problems, @Nullable String landing, String environment) {
    try {
      root(landing, environment);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
  }
}
