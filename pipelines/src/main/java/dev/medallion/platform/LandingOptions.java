package dev.medallion.platform;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where an API pipeline lands its raw pages ({@link Landing}): the environment's bucket of
 * ingestion-config.yaml, or the folder or bucket {@code --landing} names.
 */
public interface LandingOptions extends PipelineOptions {
  @Description(
      "Land the raw pages as JSON-lines files here instead of the environment's bucket"
          + " (ingestion-config.yaml global.gcs_bucket_<env>): a local folder, or gs://BUCKET."
          + " Files: {service}/{data_type}/dt=YYYY-MM-DD/{run_id}-{n}.jsonl.")
  String getLanding();

  void setLanding(String value);
}
