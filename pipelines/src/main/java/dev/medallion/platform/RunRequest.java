package dev.medallion.platform;

import dev.medallion.ops.Mode;
import java.util.List;
import javax.annotation.Nullable;

/**
 * What a user asked of a run, from the command line or a caller: the common flags, the pipeline's
 * own flags as Beam arguments ({@code --propertyName=value}), and any other Beam options.
 */
public record RunRequest(
    @Nullable String layers,
    Mode mode,
    @Nullable String asOf,
    String profile,
    boolean continuous,
    @Nullable String pollInterval,
    List<String> pipelineArgs,
    List<String> beamArgs) {

  public RunRequest {
    pipelineArgs = List.copyOf(pipelineArgs);
    beamArgs = List.copyOf(beamArgs);
  }

  /** A scheduled-style run of the given layers with the default profile and no other flags. */
  public static RunRequest of(String layers, Mode mode, String profile, List<String> pipelineArgs) {
    return new RunRequest(layers, mode, null, profile, false, null, pipelineArgs, List.of());
  }

  public RunRequest withLayers(String chosen) {
    return new RunRequest(
        chosen, mode, asOf, profile, continuous, pollInterval, pipelineArgs, beamArgs);
  }

  public RunRequest withAsOf(String day) {
    return new RunRequest(
        layers, mode, day, profile, continuous, pollInterval, pipelineArgs, beamArgs);
  }
}
