package dev.medallion.transforms.inventory;

import static dev.medallion.transforms.inventory.SampleWorkbooks.formula;
import static dev.medallion.transforms.inventory.SampleWorkbooks.grouped;
import static dev.medallion.transforms.inventory.SampleWorkbooks.row;
import static dev.medallion.transforms.inventory.SampleWorkbooks.serial;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class WorkbookRowsTest {
  static final DateTimeFormatter DMY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
  static final LocalDate DAY = LocalDate.of(2024, 12, 4);
  @Rule public TemporaryFolder tmp = new TemporaryFolder();
  Path dir;

  @Before
  public void setUp() {
    dir = tmp.getRoot().toPath();
  }

  @Test
  public void readsStockWithEveryQuirk() throws Exception {
    Path file =
        SampleWorkbooks.stock(
            dir,
            "S01",
            DAY,
            java.util.Arrays.asList(
                row("SKU-1", "Hammer", "1,234", 5, formula("10*2+8")), // text with separator
                null, // blank row
                row("SKU-2", "Nails", grouped(2500), "7", 56),
                row("SKU-3", "Saw", "twelve", 0, 1)));
    List<StockRow> rows = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    WorkbookRows.Summary summary =
        WorkbookRows.read(
            file,
            SheetLayout.STOCK,
            DMY,
            r -> {
              try {
                rows.add(StockRow.from(r, DAY, "S01", "f"));
              } catch (BadCellException e) {
                bad.add(e.getMessage());
              }
            });
    assertEquals("Stock", summary.sheet());
    assertEquals(3, summary.rows());
    assertEquals(2, rows.size());
    assertEquals(new BigDecimal("1234"), rows.get(0).onHand());
    assertEquals(new BigDecimal("28"), rows.get(0).sales28d()); // the formula's cached value
    assertEquals(new BigDecimal("2500"), rows.get(1).onHand());
    assertEquals(new BigDecimal("7"), rows.get(1).onOrder());
    // Two titles (rows 1-2), a blank row 3, the header on row 4: SKU-3 is on row 8, On Hand is C.
    assertEquals(List.of("Stock!C8: 'twelve' is not a number"), bad);
  }

  @Test
  public void headersMatchIgnoringCaseSpacesUnderscoresAndConfiguredAliases() throws Exception {
    Path file =
        SampleWorkbooks.write(
            dir.resolve("stock_X_20241204.xlsx"),
            SampleWorkbooks.sheet(
                "Sheet1",
                List.of(),
                List.of("sku", "ON_HAND", "onorder", "Qty Sold Month", "STORE"),
                List.of(row("A", 1, 2, 28, "S09"))));
    assertThrows(
        WorkbookFailure.class, () -> WorkbookRows.read(file, SheetLayout.STOCK, DMY, r -> {}));
    SheetLayout layout =
        SheetLayout.STOCK.withAliases(Map.of("sales28d", List.of("Qty Sold Month")));
    List<StockRow> rows = new ArrayList<>();
    WorkbookRows.read(
        file,
        layout,
        DMY,
        r -> {
          try {
            rows.add(StockRow.from(r, DAY, "X", "f"));
          } catch (BadCellException e) {
            throw new AssertionError(e);
          }
        });
    assertEquals("S09", rows.get(0).storeId()); // the Store column wins over the file name
    assertEquals(new BigDecimal("28"), rows.get(0).sales28d());
  }

  @Test
  public void datesAsSerialsDateCellsIsoAndConfiguredText() throws Exception {
    Path file =
        SampleWorkbooks.po(
            dir,
            "a",
            DAY,
            List.of(
                row("P1", "Acme", "S01", "K", 10, 2, serial(DAY), DAY, "Open"),
                row("P2", "Acme", "S01", "K", 10, 2, "03/12/2024", "2024-12-05", "partial"),
                row("P3", "Acme", "S01", "K", 10, 2, "32/13/2024", "2024-12-05", "open"),
                row("P4", "Acme", "S01", "K", 10, 2, "03/12/2024", "2024-12-05", "lost")));
    List<PoLine> lines = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    WorkbookRows.read(
        file,
        SheetLayout.PO_LINES,
        DMY,
        r -> {
          try {
            lines.add(PoLine.from(r, DAY, "f"));
          } catch (BadCellException e) {
            bad.add(e.getMessage());
          }
        });
    assertEquals(DAY, lines.get(0).orderDate());
    assertEquals(DAY, lines.get(0).expectedDate());
    assertEquals("open", lines.get(0).status());
    assertEquals(LocalDate.of(2024, 12, 3), lines.get(1).orderDate());
    assertEquals(LocalDate.of(2024, 12, 5), lines.get(1).expectedDate());
    assertEquals(2, lines.size());
    assertEquals(2, bad.size());
    assertTrue(bad.get(0), bad.get(0).startsWith("PO Lines!G4: '32/13/2024' is not a date"));
    assertTrue(bad.get(1), bad.get(1).startsWith("PO Lines!I5: 'lost' is not a status"));
  }

  @Test
  public void brokenFilesFailAloneWithTheReason() throws Exception {
    String corrupt =
        assertThrows(
                WorkbookFailure.class,
                () ->
                    WorkbookRows.read(
                        SampleWorkbooks.corrupt(dir.resolve("stock_A_20241204.xlsx")),
                        SheetLayout.STOCK,
                        DMY,
                        r -> {}))
            .getMessage();
    assertTrue(corrupt, corrupt.startsWith("stock_A_20241204.xlsx: not a readable XLSX workbook"));

    String encrypted =
        assertThrows(
                WorkbookFailure.class,
                () ->
                    WorkbookRows.read(
                        SampleWorkbooks.encrypted(dir.resolve("suppliers_20241204.xlsx"), "pw"),
                        SheetLayout.SUPPLIERS,
                        DMY,
                        r -> {}))
            .getMessage();
    assertTrue(encrypted, encrypted.contains("encrypted"));

    String bomb =
        assertThrows(
                WorkbookFailure.class,
                () ->
                    WorkbookRows.read(
                        SampleWorkbooks.zipBomb(dir.resolve("stock_B_20241204.xlsx"), 20),
                        SheetLayout.STOCK,
                        DMY,
                        r -> {}))
            .getMessage();
    assertTrue(bomb, bomb.contains("zip bomb"));

    Path stockAsSuppliers = SampleWorkbooks.stock(dir, "C", DAY, List.of(row("K", "", 1, 1, 1)));
    String noSheet =
        assertThrows(
                WorkbookFailure.class,
                () -> WorkbookRows.read(stockAsSuppliers, SheetLayout.SUPPLIERS, DMY, r -> {}))
            .getMessage();
    assertTrue(noSheet, noSheet.startsWith("stock_C_20241204.xlsx: no sheet named 'Suppliers'"));

    Path noSales =
        SampleWorkbooks.write(
            dir.resolve("stock_D_20241204.xlsx"),
            SampleWorkbooks.sheet(
                "Stock",
                List.of("Title"),
                List.of("SKU", "On Hand", "On Order"),
                List.of(row("K", 1, 1))));
    String missing =
        assertThrows(
                WorkbookFailure.class,
                () -> WorkbookRows.read(noSales, SheetLayout.STOCK, DMY, r -> {}))
            .getMessage();
    assertEquals(
        "stock_D_20241204.xlsx: Stock!row 3: the header lacks the required column(s) 'Sales 28d'"
            + " (or Sales Last 28 Days, Units Sold 28d)",
        missing);
  }
}
