package dev.medallion.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.medallion.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The bench on a few thousand rows: no method may win by writing less, so every write method must
 * leave the same row count and checksum, and every runner and the hand-written program the same
 * gold and platinum; the targets read those results as the issue states them; the README's numbers
 * block is regenerated and nothing else.
 */
public class BenchSmokeTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void everyWriteMethodWritesTheSameRows() throws Exception {
    Bench.Report report =
        Bench.run(
            TestDatabase.target(),
            new Bench.Settings(
                3000, Set.of("write", "parse"), 7, 1, folder.getRoot().toPath(), null, List.of()),
            System.out);
    List<TableState> states = report.writeStates();
    // Thirteen write methods, each measured, each leaving all 3,000 rows with the same checksum.
    assertEquals(13, states.size());
    assertEquals(3000, states.get(0).rows());
    assertEquals(1, states.stream().distinct().count());
    assertEquals(
        states.get(0).checksum(),
        TestDatabase.count(
            "SELECT (sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint) % 9223372036854775807)::bigint FROM bench.edge_rows t"));
    assertThat(report.markdown(), containsString("| COPY (CopyManager) | 3,000 |"));
    assertThat(report.markdown(), containsString("inserted 0 rows"));
    assertThat(
        report.markdown(), containsString("| JSON files to validated transactions | 1,500 |"));
    assertThat(
        report.markdown(),
        containsString("| edge pipeline, bronze layer alone, 3,000 rows | 3,000 |"));
    assertThat(
        report.markdown(), containsString("Parsing all 3,000 rows (JSON and CSV files) takes"));
    assertThat(
        report.markdown(),
        containsString("met: average batch sent 1,500 rows, 100% of the configured 10,000"));
  }

  @Test
  public void everyRunnerAndTheHandWrittenProgramLeaveTheSameGoldAndPlatinum() throws Exception {
    long rows = 1000;
    long seed = 3;
    List<PipelineSuite.Run> runs =
        new PipelineSuite(TestDatabase.target(), seed, folder.getRoot().toPath(), System.out)
            .withoutWarmUp()
            // A check of the tables, not of speed: a slow machine must not fail it.
            .withTimeLimit(Duration.ofHours(6))
            .wholePipeline(List.of(rows), 1);
    assertEquals(
        List.of(PipelineSuite.HAND_WRITTEN, PipelineSuite.FLINK_LOCAL, PipelineSuite.DIRECT),
        runs.stream().map(PipelineSuite.Run::method).toList());
    // Gold and platinum as the generated rows make them, counted here without either method's code:
    // one gold row per store and UTC day, one platinum row per store with a day in the 90 days to
    // the as-of day.
    Set<String> storeDays = new HashSet<>();
    Set<String> storesInWindow = new HashSet<>();
    LocalDate windowStart = PipelineSuite.AS_OF.minusDays(89);
    for (long i = 0; i < rows; i++) {
      BenchRow row = BenchRow.of(i, seed);
      LocalDate day = row.createdAt().toLocalDate();
      storeDays.add(row.storeId() + "|" + day);
      if (!day.isBefore(windowStart) && !day.isAfter(PipelineSuite.AS_OF)) {
        storesInWindow.add(row.storeId());
      }
    }
    PipelineSuite.EdgeTables handWritten = runs.get(0).tables();
    assertEquals(storeDays.size(), handWritten.gold().rows());
    assertEquals(storesInWindow.size(), handWritten.platinum().rows());
    // The pipeline computes gold and platinum in Java, the hand-written program in SQL: the same
    // tables, to the last digit (the stddev to 10 decimals), on both runners.
    for (PipelineSuite.Run run : runs) {
      assertThat(run.measurement().note(), startsWith("all rows in silver"));
      assertEquals(run.method(), handWritten, run.tables());
    }
    // The bench database is separate from the test database's tables.
    assertEquals(
        0,
        TestDatabase.count(
            "SELECT count(*) FROM silver.edge_transactions WHERE transaction_id = 'TX-999'"));
  }

  @Test
  public void theTargetsAreMissedWhenARunnerDoesNotFinishOrLeavesOtherTables() {
    TableState gold = new TableState(900, 11);
    TableState platinum = new TableState(50, 22);
    PipelineSuite.EdgeTables same = new PipelineSuite.EdgeTables(gold, platinum);
    List<PipelineSuite.Run> runs =
        List.of(
            run(PipelineSuite.HAND_WRITTEN, 250, 10, same),
            run(PipelineSuite.FLINK_LOCAL, 250, 12, same),
            run(PipelineSuite.DIRECT, 250, 20, same),
            run(PipelineSuite.HAND_WRITTEN, 1000, 40, same),
            run(PipelineSuite.FLINK_LOCAL, 1000, 40, same),
            run(PipelineSuite.DIRECT, 1000, 80, same));
    assertEquals(
        List.of(
            "met: the direct profile (DirectRunner) took 4.0x the time for 4x the rows (250 to 1,000;"
                + " target at most 4.4x)",
            "met: the direct profile (DirectRunner) at 50% of the flink-local profile's rows/s at 1,000"
                + " rows (13 vs 25 rows/s; target 50%)",
            "met: the Beam pipeline on the flink-local profile at 100% of the hand-written program's"
                + " rows/s at 1,000 rows (25 vs 25 rows/s; target 100%)",
            "met: every method left the same gold and platinum tables at every size (at 1,000 rows:"
                + " gold 900 rows, platinum 50 rows)",
            "not measured: the 50x comparison with the seed's one-request-per-record inserts needs"
                + " --suite write too"),
        new WholePipelineReport(runs, null, Duration.ofMinutes(20)).verdicts(null));

    List<PipelineSuite.Run> stopped = new java.util.ArrayList<>(runs);
    stopped.set(2, run(PipelineSuite.DIRECT, 250, Double.POSITIVE_INFINITY, null));
    stopped.set(5, run(PipelineSuite.DIRECT, 1000, Double.POSITIVE_INFINITY, null));
    stopped.set(
        4,
        run(
            PipelineSuite.FLINK_LOCAL,
            1000,
            50,
            new PipelineSuite.EdgeTables(gold, new TableState(50, 23))));
    WholePipelineReport report = new WholePipelineReport(stopped, null, Duration.ofMinutes(20));
    List<String> verdicts = report.verdicts(null);
    assertEquals(
        "MISSED: the direct profile (DirectRunner) grows linearly from 250 to 1,000 rows (target at"
            + " most 4.4x the time): at 250 rows it did not finish in 20 min",
        verdicts.get(0));
    assertThat(verdicts.get(1), startsWith("MISSED: "));
    assertThat(
        verdicts.get(2), startsWith("MISSED: the Beam pipeline on the flink-local profile at 80%"));
    assertThat(
        verdicts.get(3),
        startsWith(
            "MISSED: every method left the same gold and platinum tables at every size: they differ at"
                + " 1,000 rows hand-written gold 900 rows #b, platinum 50 rows #16; flink-local gold 900"
                + " rows #b, platinum 50 rows #17"));
    assertThat(
        report.table(),
        containsString(
            "| "
                + PipelineSuite.DIRECT
                + " | 1,000 | — | — | — | — | — | did not finish in 20 min |"));
    assertThat(
        report.table(),
        containsString("| " + PipelineSuite.FLINK_LOCAL + " | 1,000 | 50.000 | 20 | 0.0 | 0.80 |"));
  }

  private static PipelineSuite.Run run(
      String method, long rows, double seconds, PipelineSuite.EdgeTables tables) {
    Measurement m =
        Double.isFinite(seconds)
            ? new Measurement(method, rows, seconds, 0, 0, "")
            : Measurement.didNotFinish(method, rows, 0, "did not finish in 20 min");
    return new PipelineSuite.Run(method, rows, m, tables);
  }

  @Test
  public void theReadmeRegenerationReplacesOnlyTheMarkedBlock() throws Exception {
    Path readme = folder.newFile("README.md").toPath();
    String before = "# Project\n\n## Benchmarks\n\nHow to run it.\n\n";
    String after = "\nWhat was tried.\n\n## Tests\n";
    Files.writeString(
        readme,
        before + ReadmeBlock.BEGIN + "\n| old | 1 |\n" + ReadmeBlock.END + after,
        StandardCharsets.UTF_8);
    String expected = before + ReadmeBlock.BEGIN + "\n\n| new | 2 |\n\n" + ReadmeBlock.END + after;
    ReadmeBlock.update(readme, "| new | 2 |\n");
    assertEquals(expected, Files.readString(readme, StandardCharsets.UTF_8));
    // Again: the same file, not a second block.
    ReadmeBlock.update(readme, "| new | 2 |\n");
    assertEquals(expected, Files.readString(readme, StandardCharsets.UTF_8));
    IllegalArgumentException noBlock =
        assertThrows(
            IllegalArgumentException.class, () -> ReadmeBlock.replace(before + after, "x"));
    assertThat(noBlock.getMessage(), containsString(ReadmeBlock.BEGIN));
  }

  @Test
  public void rowsAreTheSameForTheSameIndexAndSeed() {
    assertEquals(BenchRow.of(41, 7), BenchRow.of(41, 7));
    assertEquals("TX-41", BenchRow.of(41, 7).transactionId());
  }
}
