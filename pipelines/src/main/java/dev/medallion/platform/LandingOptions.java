package dev.medallion.platform;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where an API pipeline lands its raw pages ({@link Landing}): the environment's bucket of
 * ingestion-config.yaml for {@code --env}, or the folder or bucket {@code --landing} names.
 */
public interface LandingOptions extends PipelineOptions {
  @Description(
      "Land the raw pages as JSON-lines files here instead of the environment's bucket"
          + " (ingestion-config.yaml global.gcs_bucket_<env>): a local folder, or gs://BUCKET."
          + " Files: {service}/{data_type}/dt=YYYY-MM-DD/{run_id}-{n}.jsonl.")
  String getLanding();

  void setLanding(String value);

  @Description(
      "The environment this run ingests for, as ingestion-config.yaml's jobs name it (dev, prd)."
          + " Raw pages land in its bucket (ingestion-config.yaml) unless --landing names another place.")
  @Default.String("dev")
  String getEnv();

  void setEnv(String value);
}
