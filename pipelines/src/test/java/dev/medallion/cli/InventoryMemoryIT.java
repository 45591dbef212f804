package dev.medallion.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.medallion.testing.TestDatabase;
import dev.medallion.transforms.inventory.SampleWorkbooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Memory stays flat as a workbook grows: a 200,000-row stock workbook goes end to end (silver, the
 * snapshot's gold tables and its three CSVs) through the CLI in a JVM of its own with {@code
 * -Xmx256m}. The sheet is read as a stream and the snapshot is streamed from silver through a
 * cursor, so neither holds the day whole (before that, this run died of OutOfMemoryError).
 */
public class InventoryMemoryIT {
  static final LocalDate DAY = LocalDate.of(2024, 12, 4);
  static final int ROWS = 200_000;
  static final int SUPPLIED_SKUS = 1_000;
  static final long SEED = 7;

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void twoHundredThousandRowsIn256Megabytes() throws Exception {
    InventoryTestTables.truncate();
    Path in = folder.newFolder("in").toPath();
    Path out = folder.newFolder("out").toPath();
    SampleWorkbooks.largeStock(in, "S1", DAY, ROWS, SEED);
    List<List<Object>> master = new ArrayList<>();
    for (int n = 0; n < SUPPLIED_SKUS; n++) {
      master.add(
          SampleWorkbooks.row(
              String.format(java.util.Locale.ROOT, "SKU-%06d", n), "Acme", 7, 10, 6, 3.25));
    }
    SampleWorkbooks.suppliers(in, DAY.minusDays(1), master);

    Path log = folder.getRoot().toPath().resolve("cli.log");
    Process cli =
        ChildCli.start(
            TestDatabase.target(),
            "256m",
            List.of(
                "run",
                "stock_health",
                "--source",
                in.toString(),
                "--output-dir",
                out.toString(),
                "--date",
                DAY.toString()),
            log);
    assertTrue("the run did not end in 20 minutes", cli.waitFor(20, TimeUnit.MINUTES));
    assertEquals(Files.readString(log), 0, cli.exitValue());

    // The sums the generator drew, replayed with the same seed: a second way to the same numbers.
    SplittableRandom random = new SplittableRandom(SEED);
    long onHand = 0;
    long outOfStock = 0;
    for (int r = 0; r < ROWS; r++) {
      int units = random.nextInt(-5, 400);
      random.nextInt(0, 100);
      random.nextInt(0, 300);
      onHand += units;
      outOfStock += units <= 0 && r < SUPPLIED_SKUS ? 1 : 0;
    }
    assertEquals(
        List.of(ROWS + "|" + onHand),
        TestDatabase.rows("SELECT concat_ws('|', count(*), sum(on_hand)) FROM gold.stock_health"));
    // Every SKU past the master's 1,000 has no supplier; the supplied ones at or below zero on
    // hand are out of stock.
    assertEquals(
        List.of("S1|" + ROWS + "|" + (ROWS - SUPPLIED_SKUS) + "|" + outOfStock),
        TestDatabase.rows(
            "SELECT concat_ws('|', store_id, skus, unknown_supplier, out_of_stock)"
                + " FROM gold.stock_health_store_summary"));
    assertEquals(ROWS + 1, lines(out.resolve("20241204.csv")));
    assertEquals(
        TestDatabase.count("SELECT count(*) FROM gold.supplier_order_draft") + 1,
        lines(out.resolve("20241204_m2.csv")));
  }

  private static long lines(Path csv) throws Exception {
    try (Stream<String> lines = Files.lines(csv)) {
      return lines.count();
    }
  }
}
