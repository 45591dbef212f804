package dev.medallion.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.medallion.testing.TestDatabase;
import dev.medallion.transforms.inventory.SampleWorkbooks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Both inventory pipelines through the real CLI, once on DirectRunner and once on flink-local, over
 * the same generated landing folder (three stores with every quirk, two supplier masters, two PO
 * files sharing a line, a corrupt workbook and a file no pipeline takes), from empty tables each
 * time: the gold tables and the CSVs are the same, byte for byte.
 */
public class InventoryRunnersTest {
  static final LocalDate DAY = LocalDate.of(2024, 12, 4);
  static final String[] GOLD = {
    "gold.stock_health",
    "gold.supplier_order_draft",
    "gold.stock_health_store_summary",
    "gold.po_open_lines",
    "gold.po_supplier_summary"
  };

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void directRunnerAndFlinkLocalWriteTheSameTablesAndCsvs() throws IOException {
    Path in = folder.newFolder("in").toPath();
    SampleWorkbooks.demoFolder(in, DAY, 3, 42);

    List<String> direct = snapshotOn("direct", in);
    List<String> flink = snapshotOn("flink-local", in);

    assertTrue(
        direct.toString(), direct.stream().anyMatch(l -> l.startsWith("gold.stock_health|")));
    assertTrue(
        direct.toString(), direct.stream().anyMatch(l -> l.startsWith("gold.po_open_lines|")));
    assertTrue(direct.toString(), direct.stream().anyMatch(l -> l.startsWith("stock_health/")));
    assertEquals(direct, flink);
  }

  /** Every gold row (as text, per table) and every CSV line after both pipelines ran on profile. */
  private List<String> snapshotOn(String profile, Path in) throws IOException {
    InventoryTestTables.truncate();
    Path out = folder.newFolder("out-" + profile).toPath();
    for (String pipeline : List.of("stock_health", "po_snapshots")) {
      Path csvs = out.resolve(pipeline);
      CapturedRun.Result run =
          StockHealthEndToEndTest.run(
              "run",
              pipeline,
              "--source",
              in.toString(),
              "--date",
              DAY.toString(),
              "--output-dir",
              csvs.toString(),
              "--profile",
              profile);
      assertEquals(run.output() + run.errors(), 0, run.exitCode());
    }
    List<String> lines = new ArrayList<>();
    for (String table : GOLD) {
      for (String row :
          TestDatabase.rows("SELECT t::text FROM " + table + " t ORDER BY t::text COLLATE \"C\"")) {
        lines.add(table + "|" + row);
      }
    }
    try (Stream<Path> files = Files.walk(out)) {
      for (Path csv : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = out.relativize(csv).toString();
        for (String line : Files.readAllLines(csv)) {
          lines.add(name + ": " + line);
        }
      }
    }
    return lines;
  }
}
