package dev.medallion.platform;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.List;
import java.util.Optional;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A job submitted to a remote Flink cluster needs its code on the cluster: when the runner is Flink
 * with a remote master and no {@code --filesToStage} was given, stage the jar this CLI runs from
 * (the shaded medallion.jar, which holds every class the job needs).
 */
public final class OwnJarStaging {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(OwnJarStaging.class);

  private OwnJarStaging() {}

  public static void apply(PipelineOptions options) {
    apply(options, runningJar());
  }

  public static void apply(PipelineOptions options, Optional<Path> jar) {
    if (!FlinkRunner.class.equals(options.getRunner())) {
      return;
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (!isRemote(flink.getFlinkMaster()) || flink.getFilesToStage() != null) {
      return;
    }
    if (jar.isEmpty()) {
      LOG.warn(
          "Not running from a jar, so Beam stages the class path for {}; build the shaded jar (mvn -DskipTests package)"
              + " and run it, or pass --filesToStage=pipelines/target/medallion.jar",
          flink.getFlinkMaster());
      return;
    }
    flink.setFilesToStage(List.of(jar.get().toString()));
  }

  /**
   * A continuous run on a remote cluster is submitted detached: the CLI gets a handle it can poll
   * and cancel (Ctrl-C stops the job), instead of blocking inside the submission.
   */
  public static void detachContinuous(PipelineOptions options) {
    if (FlinkRunner.class.equals(options.getRunner())
        && isRemote(options.as(FlinkPipelineOptions.class).getFlinkMaster())) {
      options.as(FlinkPipelineOptions.class).setAttachedMode(false);
    }
  }

  public static boolean isRemote(String flinkMaster) {
    return flinkMaster != null
        && !flinkMaster.isBlank()
        && !List.of("[local]", "[auto]", "[collection]").contains(flinkMaster.strip());
  }

  /** The jar file this class was loaded from, if it was loaded from a jar. */
  public static Optional<Path> runningJar() {
    return jarOf(OwnJarStaging.class);
  }

  /** The jar file a class was loaded from, if it was loaded from a jar. */
  public static Optional<Path> jarOf(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return Optional.empty();
    }
    try {
      Path path = Paths.get(source.getLocation().toURI());
      return Files.isRegularFile(path) && path.toString().endsWith(".jar")
          ? Optional.of(path)
          : Optional.empty();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
