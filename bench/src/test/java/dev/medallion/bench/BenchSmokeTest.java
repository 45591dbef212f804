package dev.medallion.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import dev.medallion.io.files.LandedFile;
import dev.medallion.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The bench on a few thousand rows: no method may win by writing less, so every write method must
 * leave the same row count and checksum; the runner chain must agree with the plain loop.
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
  public void theChainOnDirectRunnerAgreesWithThePlainLoop() throws Exception {
    ChainSuite chain = new ChainSuite(2000, 1, 1, System.out);
    List<LandedFile> files = new ArrayList<>();
    for (long f = 0; f < EdgeFiles.fileCount(2000); f++) {
      files.add(EdgeFiles.landed(f, 2000, 1));
    }
    long storeDays = ChainSuite.plainLoop(files);
    assertEquals(storeDays, chain.runChain(ChainSuite.direct(false)));
  }

  @Test
  public void theWholePipelineLandsEveryGeneratedRowInItsOwnDatabase() throws Exception {
    List<Measurement> runs =
        new PipelineSuite(TestDatabase.target(), 3, folder.getRoot().toPath(), System.out)
            .run(List.of(1000L), 1);
    // Each sink fills a batch per writer (2): 1,000 rows are 2 batches averaging 500 rows, however
    // Flink cut its bundles; gold's 954 store-days, the 2 files' ledger rows and platinum's 50
    // stores likewise.
    assertEquals(
        "all rows in silver; average batch: bronze.edge_raw 500 rows in 2 batches,"
            + " bronze.edge_raw_update 500 rows in 2 batches,"
            + " gold.store_daily_summary 477 rows in 2 batches,"
            + " ops.landed_files 1 rows in 2 batches,"
            + " platinum.store_features 25 rows in 2 batches,"
            + " silver.edge_transactions 500 rows in 2 batches",
        runs.get(0).note());
    // 1,000 rows in 2 files of 500; the bench database is separate from the test database's tables.
    assertEquals(1000, runs.get(0).rows());
    assertEquals(
        0,
        TestDatabase.count(
            "SELECT count(*) FROM silver.edge_transactions WHERE transaction_id = 'TX-999'"));
  }

  @Test
  public void rowsAreTheSameForTheSameIndexAndSeed() {
    assertEquals(BenchRow.of(41, 7), BenchRow.of(41, 7));
    assertEquals("TX-41", BenchRow.of(41, 7).transactionId());
  }
}
