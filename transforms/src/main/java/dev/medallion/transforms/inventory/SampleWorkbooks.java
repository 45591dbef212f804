package dev.medallion.transforms.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFFormulaEvaluator;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Writes realistic inventory workbooks with POI, for the tests, the demo and the benchmarks: store
 * stock files, supplier masters and PO files as people make them, with title rows (merged) above
 * the header, numbers stored as text, thousands separators, dates as serial numbers and as text,
 * formulas with cached values, blank rows and trailing empty columns; and broken files (corrupt,
 * encrypted, a zip bomb).
 *
 * <p>A cell value is written by its Java type: a {@link String} as text, a {@link Number} as a
 * number, a {@link LocalDate} as a date cell, {@link #serial(LocalDate)} as a bare serial number,
 * {@link #formula(String)} as a formula (its cached value computed before saving), {@link
 * #grouped(Number)} as a number shown with thousands separators, null as no cell.
 */
public final class SampleWorkbooks {
  /** A formula cell. */
  public record Formula(String expression) {}

  /** A number displayed with a thousands separator ({@code #,##0.##}). */
  public record Grouped(Number value) {}

  /** A date stored as a plain serial number (no date format). */
  public record Serial(LocalDate date) {}

  /** One sheet: its name, title lines above the header, the header and the rows. */
  public record SheetData(
      String name, List<String> titles, List<String> header, List<List<Object>> rows) {}

  public static final DateTimeFormatter FILE_DATE = DateTimeFormatter.BASIC_ISO_DATE;

  private SampleWorkbooks() {}

  public static Formula formula(String expression) {
    return new Formula(expression);
  }

  public static Grouped grouped(Number value) {
    return new Grouped(value);
  }

  public static Serial serial(LocalDate date) {
    return new Serial(date);
  }

  public static List<Object> row(Object... cells) {
    return Arrays.asList(cells);
  }

  public static SheetData sheet(
      String name, List<String> titles, List<String> header, List<List<Object>> rows) {
    return new SheetData(name, titles, header, rows);
  }

  /**
   * Writes a workbook: per sheet, each title in column A merged across the header's width, one
   * blank row, the header, the rows, and two trailing empty (but styled) columns.
   */
  public static Path write(Path file, SheetData... sheets) throws IOException {
    try (XSSFWorkbook wb = new XSSFWorkbook()) {
      CellStyle date = wb.createCellStyle();
      date.setDataFormat(wb.createDataFormat().getFormat("dd/mm/yyyy"));
      CellStyle groupedStyle = wb.createCellStyle();
      groupedStyle.setDataFormat(wb.createDataFormat().getFormat("#,##0.##"));
      for (SheetData data : sheets) {
        Sheet sheet = wb.createSheet(data.name());
        int r = 0;
        for (String title : data.titles()) {
          sheet.createRow(r).createCell(0).setCellValue(title);
          if (data.header().size() > 1) {
            sheet.addMergedRegion(new CellRangeAddress(r, r, 0, data.header().size() - 1));
          }
          r++;
        }
        if (!data.titles().isEmpty()) {
          r++; // a blank row between the titles and the header
        }
        Row header = sheet.createRow(r++);
        for (int c = 0; c < data.header().size(); c++) {
          header.createCell(c).setCellValue(data.header().get(c));
        }
        int width = data.header().size();
        for (List<Object> values : data.rows()) {
          Row row = sheet.createRow(r++);
          if (values == null) {
            continue; // a blank row
          }
          for (int c = 0; c < values.size(); c++) {
            set(row, c, values.get(c), date, groupedStyle);
          }
          // Trailing empty cells that carry a style: Excel keeps them, readers must ignore them.
          row.createCell(width).setCellStyle(date);
          row.createCell(width + 1).setCellValue("");
        }
      }
      XSSFFormulaEvaluator.evaluateAllFormulaCells(wb);
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        wb.write(out);
      }
    }
    return file;
  }

  private static void set(Row row, int column, Object value, CellStyle date, CellStyle grouped) {
    if (value == null) {
      return;
    }
    Cell cell = row.createCell(column);
    if (value instanceof String s) {
      cell.setCellValue(s);
    } else if (value instanceof Number n) {
      cell.setCellValue(n.doubleValue());
    } else if (value instanceof LocalDate d) {
      cell.setCellValue(d);
      cell.setCellStyle(date);
    } else if (value instanceof Serial s) {
      cell.setCellValue(DateUtil.getExcelDate(s.date()));
    } else if (value instanceof Formula f) {
      cell.setCellFormula(f.expression());
    } else if (value instanceof Grouped g) {
      cell.setCellValue(g.value().doubleValue());
      cell.setCellStyle(grouped);
    } else {
      throw new IllegalArgumentException("no cell type for " + value.getClass());
    }
  }

  public static final List<String> STOCK_HEADER =
      List.of("SKU", "Description", "On Hand", "On Order", "Sales 28d");
  public static final List<String> SUPPLIER_HEADER =
      List.of("SKU", "Supplier", "Lead Time Days", "Min Order Qty", "Pack Size", "Unit Cost");
  public static final List<String> PO_HEADER =
      List.of(
          "PO Number",
          "Supplier",
          "Store",
          "SKU",
          "Ordered Qty",
          "Received Qty",
          "Order Date",
          "Expected Date",
          "Status");

  public static String stockName(String store, LocalDate date) {
    return "stock_" + store + "_" + FILE_DATE.format(date) + ".xlsx";
  }

  public static String suppliersName(LocalDate date) {
    return "suppliers_" + FILE_DATE.format(date) + ".xlsx";
  }

  public static String poName(String batch, LocalDate date) {
    return "po_" + batch + "_" + FILE_DATE.format(date) + ".xlsx";
  }

  /** A store's stock file with the usual title rows. */
  public static Path stock(Path dir, String store, LocalDate date, List<List<Object>> rows)
      throws IOException {
    return write(
        dir.resolve(stockName(store, date)),
        sheet("Stock", List.of("Stock report " + store, "Exported " + date), STOCK_HEADER, rows));
  }

  public static Path suppliers(Path dir, LocalDate date, List<List<Object>> rows)
      throws IOException {
    return write(
        dir.resolve(suppliersName(date)),
        sheet("Suppliers", List.of("Supplier master"), SUPPLIER_HEADER, rows));
  }

  public static Path po(Path dir, String batch, LocalDate date, List<List<Object>> rows)
      throws IOException {
    return write(dir.resolve(poName(batch, date)), sheet("PO Lines", List.of(), PO_HEADER, rows));
  }

  /** Bytes that are not a workbook at all: a truncated zip. */
  public static Path corrupt(Path file) throws IOException {
    byte[] zipStart = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0};
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, zipStart);
    return file;
  }

  /** A password-protected workbook (ECMA-376 agile encryption in an OLE2 container). */
  public static Path encrypted(Path file, String password) throws IOException {
    Path plain = Files.createTempFile("plain", ".xlsx");
    try {
      suppliers(plain.getParent(), LocalDate.of(2024, 1, 1), List.of(row("A", "B", 1, 1, 1, 1)));
      Path written = plain.getParent().resolve(suppliersName(LocalDate.of(2024, 1, 1)));
      try (POIFSFileSystem fs = new POIFSFileSystem()) {
        EncryptionInfo info = new EncryptionInfo(EncryptionMode.agile);
        Encryptor encryptor = info.getEncryptor();
        encryptor.confirmPassword(password);
        try (OutputStream os = encryptor.getDataStream(fs);
            InputStream in = Files.newInputStream(written)) {
          in.transferTo(os);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
          fs.writeFilesystem(out);
        }
      } catch (java.security.GeneralSecurityException e) {
        throw new IOException(e);
      }
      Files.deleteIfExists(written);
    } finally {
      Files.deleteIfExists(plain);
    }
    return file;
  }

  /**
   * A zip bomb: a valid workbook whose sheet XML is padded with megabytes of white space, so it
   * expands over a thousand times its compressed size.
   */
  public static Path zipBomb(Path file, int megabytes) throws IOException {
    Path dir = Files.createTempDirectory("bomb");
    Path source = stock(dir, "BOMB", LocalDate.of(2024, 1, 1), List.of(row("X", "x", 1, 1, 1)));
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(source));
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        out.putNextEntry(new ZipEntry(e.getName()));
        byte[] content = in.readAllBytes();
        if (e.getName().equals("xl/worksheets/sheet1.xml")) {
          String xml = new String(content, StandardCharsets.UTF_8);
          int at = xml.indexOf("<sheetData>");
          out.write(xml.substring(0, at).getBytes(StandardCharsets.UTF_8));
          byte[] spaces = new byte[1 << 20];
          Arrays.fill(spaces, (byte) ' ');
          for (int i = 0; i < megabytes; i++) {
            out.write(spaces);
          }
          out.write(xml.substring(at).getBytes(StandardCharsets.UTF_8));
        } else {
          out.write(content);
        }
        out.closeEntry();
      }
    } finally {
      Files.deleteIfExists(source);
      Files.deleteIfExists(dir);
    }
    return file;
  }

  /**
   * A stock file of {@code rows} rows written with SXSSF (constant memory), for memory tests and
   * benchmarks.
   */
  public static Path largeStock(Path dir, String store, LocalDate date, int rows, long seed)
      throws IOException {
    Path file = dir.resolve(stockName(store, date));
    SplittableRandom random = new SplittableRandom(seed);
    try (SXSSFWorkbook wb = new SXSSFWorkbook(200);
        OutputStream out = Files.newOutputStream(file)) {
      wb.setCompressTempFiles(true);
      Sheet sheet = wb.createSheet("Stock");
      sheet.createRow(0).createCell(0).setCellValue("Stock report " + store);
      Row header = sheet.createRow(2);
      for (int c = 0; c < STOCK_HEADER.size(); c++) {
        header.createCell(c).setCellValue(STOCK_HEADER.get(c));
      }
      for (int r = 0; r < rows; r++) {
        Row row = sheet.createRow(r + 3);
        row.createCell(0).setCellValue(String.format(Locale.ROOT, "SKU-%06d", r));
        row.createCell(1).setCellValue("Item " + r);
        row.createCell(2).setCellValue(random.nextInt(-5, 400));
        row.createCell(3).setCellValue(random.nextInt(0, 100));
        row.createCell(4).setCellValue(random.nextInt(0, 300));
      }
      wb.write(out);
      wb.dispose();
    }
    return file;
  }

  /**
   * A realistic landing folder for one business date: {@code stores} store stock files (with every
   * quirk), an older and a current supplier master (and a future one that must not apply), two PO
   * files sharing a line (the later name wins), a corrupt stock file and a file no pipeline takes.
   * Returns the files written.
   */
  public static List<Path> demoFolder(Path dir, LocalDate date, int stores, long seed)
      throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    List<Path> files = new ArrayList<>();
    int skus = 12;
    List<List<Object>> master = new ArrayList<>();
    String[] suppliers = {"Acme Tools", "Borealis Supply", "Cobalt Goods"};
    for (int s = 0; s < skus - 1; s++) { // the last SKU has no supplier: unknown_supplier
      master.add(
          row(
              sku(s),
              suppliers[s % suppliers.length],
              s % 2 == 0 ? 7 : String.valueOf(14), // lead time as number and as text
              10,
              s % 3 == 0 ? 12 : 6,
              s % 4 == 0 ? grouped(1250.5) : 3.25 + s));
    }
    files.add(suppliers(dir, date.minusDays(3), master));
    List<List<Object>> older = new ArrayList<>(master.subList(0, 3));
    files.add(suppliers(dir, date.minusDays(40), older));
    files.add(suppliers(dir, date.plusDays(5), master.subList(0, 2)));
    for (int st = 1; st <= stores; st++) {
      String store = String.format(Locale.ROOT, "S%02d", st);
      List<List<Object>> rows = new ArrayList<>();
      for (int s = 0; s < skus; s++) {
        int onHand = random.nextInt(-2, 120);
        int sales = s == 3 ? 0 : random.nextInt(0, 200);
        Object onHandCell = s % 5 == 1 ? String.valueOf(onHand) : onHand; // number as text
        Object salesCell = s % 4 == 2 ? formula(sales / 2 + "*2+" + sales % 2) : sales;
        rows.add(row(sku(s), "Item " + sku(s), onHandCell, random.nextInt(0, 40), salesCell));
        if (s == 5) {
          rows.add(null); // a blank row in the middle
        }
      }
      if (st == 2) {
        rows.add(row(sku(99), "Scanner fault", "twelve", 0, 5)); // a bad cell: quarantined
      }
      files.add(stock(dir, store, date, rows));
    }
    files.add(
        corrupt(dir.resolve(stockName(String.format(Locale.ROOT, "S%02d", stores + 1), date))));
    files.add(
        po(
            dir,
            "batch1",
            date,
            List.of(
                row(
                    "PO-1001",
                    "Acme Tools",
                    "S01",
                    sku(0),
                    100,
                    40,
                    serial(date.minusDays(20)),
                    date.minusDays(2),
                    "partial"),
                row(
                    "PO-1001",
                    "Acme Tools",
                    "S01",
                    sku(3),
                    grouped(1200),
                    1200,
                    date.minusDays(20),
                    date.minusDays(5),
                    "closed"),
                row(
                    "PO-1002",
                    "Borealis Supply",
                    "S02",
                    sku(1),
                    "60",
                    "0",
                    date.minusDays(3).format(DateTimeFormatter.ofPattern("dd/MM/yyyy")),
                    date.plusDays(4).toString(),
                    "open"),
                row(
                    "PO-1003",
                    "Cobalt Goods",
                    "S01",
                    sku(2),
                    30,
                    0,
                    date.minusDays(10),
                    date.minusDays(1),
                    "cancelled"))));
    files.add(
        po(
            dir,
            "batch2",
            date,
            List.of(
                row(
                    "PO-1001",
                    "Acme Tools",
                    "S01",
                    sku(0),
                    100,
                    70,
                    date.minusDays(20),
                    date.minusDays(2),
                    "partial"),
                row(
                    "PO-1004",
                    "Cobalt Goods",
                    "S02",
                    sku(5),
                    24,
                    0,
                    date.minusDays(8),
                    date.minusDays(6),
                    "open"))));
    Path notes = dir.resolve("inventory_notes_" + FILE_DATE.format(date) + ".xlsx");
    files.add(write(notes, sheet("Notes", List.of(), List.of("Note"), List.of(row("call Acme")))));
    return files;
  }

  public static String sku(int n) {
    return String.format(Locale.ROOT, "SKU-%03d", n);
  }
}
