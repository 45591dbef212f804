package dev.medallion.cli;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * The schedules and manual inputs the seeds ask for, so an edit to a cron line is a deliberate one.
 */
public class WorkflowSchedulesTest {
  private final Path folder = WorkflowCommands.workflowFolder();

  @Test
  public void edgeRunsEveryFifteenMinutes() throws IOException {
    assertEquals(
        List.of("*/15 * * * *"), WorkflowCommands.crons(folder.resolve("edge-pipeline.yml")));
  }

  @Test
  public void bandRunsBronzeSilverGoldAtTwoTwoThirtyAndThreeUtcWithAManualLayerAndMode()
      throws IOException {
    Path band = folder.resolve("band-pipeline.yml");
    assertEquals(List.of("0 2 * * *", "30 2 * * *", "0 3 * * *"), WorkflowCommands.crons(band));
    Map<String, Object> inputs = WorkflowCommands.dispatchInputs(band);
    assertEquals(
        List.of("all", "bronze", "silver", "gold"),
        ((Map<?, ?>) inputs.get("layer")).get("options"));
    assertEquals(List.of("incremental", "full"), ((Map<?, ?>) inputs.get("mode")).get("options"));
  }

  @Test
  public void theIngestionOrchestratorRunsHourlyWithAManualJobGroupForceAndEnvironment()
      throws IOException {
    Path orchestrator = folder.resolve("data-ingestion-orchestrator.yaml");
    assertEquals(List.of("0 * * * *"), WorkflowCommands.crons(orchestrator));
    Map<String, Object> inputs = WorkflowCommands.dispatchInputs(orchestrator);
    assertEquals(List.of("job", "group", "force", "environment"), List.copyOf(inputs.keySet()));
    assertEquals(
        List.of(
            "none",
            "spotify_all",
            "fitness_all",
            "productivity_all",
            "daily_jobs",
            "weekly_jobs",
            "monthly_jobs"),
        ((Map<?, ?>) inputs.get("group")).get("options"));
    assertEquals("boolean", ((Map<?, ?>) inputs.get("force")).get("type"));
    assertEquals(List.of("dev", "prd"), ((Map<?, ?>) inputs.get("environment")).get("options"));
    List<WorkflowCommands.Command> commands = WorkflowCommands.in(orchestrator);
    assertEquals(
        List.of("config validate", "ingest"),
        commands.stream()
            .map(
                c ->
                    c.args().get(0)
                        + (c.args().get(0).equals("config") ? " " + c.args().get(1) : ""))
            .toList());
  }
}
