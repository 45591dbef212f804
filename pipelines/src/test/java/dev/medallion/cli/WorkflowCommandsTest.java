package dev.medallion.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import picocli.CommandLine;

/**
 * Every {@code java -jar .../medallion.jar ...} command that a workflow in .github/workflows runs
 * goes through the CLI's own parser with {@code --dry-run}, so a renamed flag or pipeline breaks
 * this build instead of the 2 a.m. run. One case per command.
 */
@RunWith(Parameterized.class)
public class WorkflowCommandsTest {
  private final WorkflowCommands.Command command;

  public WorkflowCommandsTest(String where, WorkflowCommands.Command command) {
    this.command = command;
  }

  @Parameters(name = "{0}")
  public static Collection<Object[]> commands() throws IOException {
    List<Object[]> cases = new ArrayList<>();
    List<WorkflowCommands.Command> found = WorkflowCommands.all(WorkflowCommands.workflowFolder());
    assertFalse("no medallion.jar commands found in .github/workflows", found.isEmpty());
    for (WorkflowCommands.Command c : found) {
      cases.add(new Object[] {c.where() + ": " + String.join(" ", c.args()), c});
    }
    return cases;
  }

  @Test
  public void isARealCommandWithValidFlags() {
    assertEquals("the jar the build produces", "pipelines/target/medallion.jar", command.jar());
    CommandLine cli = MedallionCli.commandLine();
    List<String> args = command.args();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    List<String> dryRun = new ArrayList<>(args);
    dryRun.add("--dry-run");
    int exit = cli.execute(dryRun.toArray(String[]::new));
    assertEquals(
        command.where() + " runs `" + String.join(" ", args) + "`, which the CLI rejects:\n" + err,
        0,
        exit);
  }
}
