package dev.medallion.transforms.inventory;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.testing.TestDatabase;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A failure in the middle of a date's write leaves the previous snapshot, CSVs and rows, intact.
 */
public class SnapshotPublisherTest {
  static final LocalDate DAY = LocalDate.of(2024, 12, 4);
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Before
  public void clean() {
    TestDatabase.truncate(
        "silver.inventory_stock",
        "silver.inventory_suppliers",
        "gold.stock_health",
        "gold.supplier_order_draft",
        "gold.stock_health_store_summary");
  }

  /** Silver holds one SKU with {@code onHand} units and its supplier terms. */
  static void silver(Connection c, int onHand) throws SQLException {
    InventoryTables.deleteFileRows(c, InventoryTables.STOCK, "f");
    InventoryTables.deleteFileRows(c, InventoryTables.SUPPLIERS, "s");
    try (InventoryTables.Inserter stock = InventoryTables.Inserter.stock(c);
        InventoryTables.Inserter suppliers = InventoryTables.Inserter.suppliers(c)) {
      InventoryTables.add(
          stock,
          new StockRow(
              DAY,
              "S01",
              "A1",
              "Widget",
              BigDecimal.valueOf(onHand),
              BigDecimal.ZERO,
              BigDecimal.valueOf(28),
              "f",
              2));
      InventoryTables.add(
          suppliers,
          new SupplierRow(
              DAY,
              "A1",
              "Acme",
              BigDecimal.ONE,
              BigDecimal.ZERO,
              BigDecimal.ONE,
              BigDecimal.ONE,
              "s",
              2));
    }
  }

  @Test
  public void aFailureMidWriteKeepsThePreviousSnapshot() throws Exception {
    Path dir = tmp.getRoot().toPath();
    try (Connection c = ConnectionPool.forTarget(TestDatabase.target()).getConnection()) {
      silver(c, 10);
      new SnapshotPublisher(dir).publish(c, new StockSnapshot(DAY, StockHealthSettings.DEFAULTS));
    }
    List<String> csv = Files.readAllLines(dir.resolve("20241204.csv"));
    // avg 28/28 = 1; cover 10/1 = 10; reorder 1 x 1 + 7 = 8; value 10 x 1 = 10.
    assertEquals(
        "2024-12-04,S01,A1,Widget,Acme,10,0,28,1.0000,10.0,8.00,0,10.00,healthy", csv.get(1));

    try (Connection c = ConnectionPool.forTarget(TestDatabase.target()).getConnection()) {
      silver(c, 99);
      // The new rows and CSVs are written, then the write fails before the commit.
      StockSnapshot second = new StockSnapshot(DAY, StockHealthSettings.DEFAULTS);
      assertThrows(
          SQLException.class,
          () ->
              new SnapshotPublisher(dir)
                  .publish(
                      c,
                      (conn, csvs) -> {
                        second.write(conn, csvs);
                        throw new SQLException("disk full (injected)");
                      }));
      assertEquals(1, second.rows());
    }
    assertEquals(csv, Files.readAllLines(dir.resolve("20241204.csv")));
    assertEquals(
        List.of("10|10.00"),
        TestDatabase.rows("SELECT concat_ws('|', on_hand, stock_value) FROM gold.stock_health"));
    try (var listed = Files.list(dir)) {
      assertEquals(
          List.of("20241204.csv", "20241204_emergency.csv", "20241204_m2.csv"),
          listed.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  public void csvValuesWithCommasAreQuoted() throws IOException {
    assertEquals(
        "a,\"b,c\",\"say \"\"hi\"\"\",\n",
        SnapshotPublisher.line(java.util.Arrays.asList("a", "b,c", "say \"hi\"", null)));
  }
}
