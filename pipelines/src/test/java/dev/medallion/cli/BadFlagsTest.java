package dev.medallion.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import dev.medallion.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Every bad flag of {@code medallion run} exits 2 before touching data, with one line that says
 * what is wrong and what is accepted: no stack trace, no Beam internals, no run recorded.
 */
public class BadFlagsTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private Path landing;

  @Before
  public void landAFile() throws IOException {
    TestDatabase.truncate(dev.medallion.pipelines.EdgeEndToEndTables.ALL);
    landing = folder.newFolder("landing").toPath();
    Files.writeString(
        landing.resolve("a.json"),
        "[{\"device_id\": \"d1\", \"transaction_id\": \"T1\", \"store_id\": \"S1\","
            + " \"timestamp\": \"2024-06-17T10:00:00Z\", \"amount\": 10.00}]");
  }

  @Test
  public void aNegatedFlagWhoseDefaultIsTrueTurnsItOff() {
    String source = landing.toString();
    assertThat(
        CapturedRun.execute(edge("--source", source, "--no-move-processed", "--dry-run")).output(),
        containsString("ingested files left in place"));
    assertThat(
        CapturedRun.execute(edge("--source", source, "--move-processed", "--dry-run")).output(),
        containsString("ingested files moved to processed/"));
    assertThat(
        CapturedRun.execute(edge("--source", source, "--dry-run")).output(),
        containsString("ingested files moved to processed/"));
  }

  @Test
  public void anEmptySourceIsRefused() {
    assertRefused(
        edge("--source", ""), "error: --source is empty: name a folder, gs://bucket/prefix/");
  }

  @Test
  public void aSourceNamingAFileIsRefusedAsAFileNotAMissingFolder() {
    String file = landing.resolve("a.json").toString();
    String line = assertRefused(edge("--source", file), "error: --source " + file + " is a file");
    assertThat(line, containsString("name the folder"));
    assertThat(line, not(containsString("does not exist")));
  }

  @Test
  public void aSourceFolderThatDoesNotExistIsRefused() {
    String missing = landing.resolve("nowhere").toString();
    assertRefused(edge("--source", missing), "error: --source " + missing + ": no such folder");
  }

  @Test
  public void emptyLayersAreRefusedNotTakenForAll() {
    assertRefused(
        edge("--source", landing.toString(), "--layers", ""),
        "error: --layers is empty: use all or a comma-separated list of bronze,silver,gold,platinum");
  }

  @Test
  public void aJdbcUrlThatIsNotOneIsRefused() {
    assertRefused(
        List.of("run", "edge", "--source", landing.toString(), "--jdbc-url", "not-a-url"),
        "error: --jdbc-url 'not-a-url' is not a PostgreSQL JDBC URL: use jdbc:postgresql://HOST:PORT/DB");
  }

  @Test
  public void aTargetParallelismBelowOneIsRefused() {
    assertRefused(
        edge("--source", landing.toString(), "--targetParallelism=0"),
        "error: --targetParallelism=0: use a whole number of 1 or more");
  }

  @Test
  public void aFlinkParallelismOfZeroIsRefused() {
    assertRefused(
        edge("--source", landing.toString(), "--profile", "flink-local", "--parallelism=0"),
        "error: --parallelism=0: use a whole number of 1 or more");
  }

  @Test
  public void anUnknownFlagIsNamedWithoutBeamsWording() {
    String line =
        assertRefused(
            edge("--source", landing.toString(), "--frobnicate=3"),
            "error: unknown flag --frobnicate: medallion run edge --help lists the flags");
    assertThat(line, not(containsString("missing a property")));
  }

  @Test
  public void aBadValueOfACommonFlagIsOneLine() {
    assertRefused(
        edge("--source", landing.toString(), "--mode", "sometimes"),
        "error: Invalid value for option '--mode'");
  }

  /** The CLI exits 2 with one line on stderr starting with {@code start}, and records no run. */
  private static String assertRefused(List<String> args, String start) {
    CapturedRun.Result result = CapturedRun.execute(args);
    List<String> lines = result.errors().strip().lines().toList();
    assertEquals("stderr: " + result.errors(), 1, lines.size());
    assertThat(lines.get(0), containsString(start));
    assertEquals(result.errors(), 2, result.exitCode());
    assertEquals("", result.output());
    assertEquals(0L, TestDatabase.count("SELECT count(*) FROM ops.pipeline_runs"));
    return lines.get(0);
  }

  private static List<String> edge(String... flags) {
    List<String> args = new ArrayList<>(List.of("run", "edge"));
    args.addAll(List.of(flags));
    args.addAll(
        List.of(
            "--jdbc-url",
            TestDatabase.target().url(),
            "--jdbc-user",
            "postgres",
            "--jdbc-password=postgres"));
    return args;
  }
}
