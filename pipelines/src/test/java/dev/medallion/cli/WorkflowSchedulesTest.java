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
}
