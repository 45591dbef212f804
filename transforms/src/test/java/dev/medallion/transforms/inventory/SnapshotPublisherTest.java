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
        "gold.stock_health", "gold.supplier_order_draft", "gold.stock_health_store_summary");
  }

  static StockSnapshot snapshot(int onHand) {
    StockRow stock =
        new StockRow(
            DAY,
            "S01",
            "A1",
            "Widget",
            BigDecimal.valueOf(onHand),
            BigDecimal.ZERO,
            BigDecimal.valueOf(28),
            "f",
            2);
    SupplierRow supplier =
        new SupplierRow(
            DAY,
            "A1",
            "Acme",
            BigDecimal.ONE,
            BigDecimal.ZERO,
            BigDecimal.ONE,
            BigDecimal.ONE,
            "s",
            2);
    return StockSnapshot.compute(
        DAY, List.of(stock), List.of(supplier), StockHealthSettings.DEFAULTS);
  }

  @Test
  public void aFailureMidWriteKeepsThePreviousSnapshot() throws Exception {
    Path dir = tmp.getRoot().toPath();
    StockSnapshot first = snapshot(10);
    try (Connection c = ConnectionPool.forTarget(TestDatabase.target()).getConnection()) {
      PublishSnapshots.stockPublisher(dir, first)
          .publish(c, conn -> InventoryTables.replace(conn, first));
    }
    List<String> csv = Files.readAllLines(dir.resolve("20241204.csv"));
    assertEquals(
        "2024-12-04,S01,A1,Widget,Acme,10,0,28,1.0000,10.0,8.00,0,10.00,healthy", csv.get(1));

    StockSnapshot second = snapshot(99);
    try (Connection c = ConnectionPool.forTarget(TestDatabase.target()).getConnection()) {
      // The new rows are written, then the write fails before the commit.
      assertThrows(
          SQLException.class,
          () ->
              PublishSnapshots.stockPublisher(dir, second)
                  .publish(
                      c,
                      conn -> {
                        InventoryTables.replace(conn, second);
                        throw new SQLException("disk full (injected)");
                      }));
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
