package dev.medallion.platform.example;

import dev.medallion.pipelines.MedallionOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * The flags the ingestion orchestrator gives a service's pipeline ({@code --streams}, {@code
 * --env}): the contract every personal-data connector's options keep.
 */
public interface PersonalProbeOptions extends MedallionOptions {
  @Description("The data types to read, comma-separated.")
  @Default.String("recently_played")
  String getStreams();

  void setStreams(String value);

  @Description("The environment (dev or prd): which landing bucket the pages go to.")
  @Default.String("dev")
  String getEnv();

  void setEnv(String value);
}
