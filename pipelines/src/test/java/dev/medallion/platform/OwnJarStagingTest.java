package dev.medallion.platform;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

public class OwnJarStagingTest {
  private static final Optional<Path> JAR = Optional.of(Paths.get("/opt/medallion/medallion.jar"));

  @Test
  public void aRemoteFlinkMasterGetsTheRunningJarStaged() {
    PipelineOptions options = options("--runner=FlinkRunner", "--flinkMaster=localhost:8081");
    OwnJarStaging.apply(options, JAR);
    assertEquals(
        List.of("/opt/medallion/medallion.jar"),
        options.as(FlinkPipelineOptions.class).getFilesToStage());
  }

  @Test
  public void filesToStageGivenByTheUserWin() {
    PipelineOptions options =
        options(
            "--runner=FlinkRunner",
            "--flinkMaster=localhost:8081",
            "--filesToStage=/tmp/other.jar");
    OwnJarStaging.apply(options, JAR);
    assertEquals(
        List.of("/tmp/other.jar"), options.as(FlinkPipelineOptions.class).getFilesToStage());
  }

  @Test
  public void anEmbeddedFlinkOrTheDirectRunnerStagesNothing() {
    PipelineOptions local = options("--runner=FlinkRunner", "--flinkMaster=[local]");
    OwnJarStaging.apply(local, JAR);
    assertNull(local.as(FlinkPipelineOptions.class).getFilesToStage());
    PipelineOptions direct = options("--runner=DirectRunner");
    OwnJarStaging.apply(direct, JAR);
    assertNull(direct.as(FlinkPipelineOptions.class).getFilesToStage());
  }

  @Test
  public void continuousRunsOnARemoteMasterAreSubmittedDetached() {
    PipelineOptions remote = options("--runner=FlinkRunner", "--flinkMaster=localhost:8081");
    OwnJarStaging.detachContinuous(remote);
    assertFalse(remote.as(FlinkPipelineOptions.class).getAttachedMode());
    PipelineOptions local = options("--runner=FlinkRunner", "--flinkMaster=[local]");
    OwnJarStaging.detachContinuous(local);
    assertTrue(local.as(FlinkPipelineOptions.class).getAttachedMode());
  }

  @Test
  public void testsRunFromClassesNotAJar() {
    assertTrue(OwnJarStaging.runningJar().isEmpty());
  }

  private static PipelineOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).create();
  }
}
