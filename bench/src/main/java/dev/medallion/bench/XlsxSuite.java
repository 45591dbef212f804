package dev.medallion.bench;

import dev.medallion.io.files.XlsxRowReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * The inventory reader on generated sheets, each read in a child JVM with a small heap so the peak
 * heap is the reader's own: streaming ({@link XlsxRowReader}) against POI's whole-workbook
 * usermodel.
 */
final class XlsxSuite {
  static final String HEAP = "-Xmx256m";
  static final String ROOMY_HEAP = "-Xmx2g";
  private final long rows;
  private final long seed;
  private final Path folder;
  private final PrintStream progress;

  XlsxSuite(long rows, long seed, Path folder, PrintStream progress) {
    this.rows = rows;
    this.seed = seed;
    this.folder = folder;
    this.progress = progress;
  }

  List<Measurement> run() throws Exception {
    long small = Math.max(1_000, rows / 10);
    List<Measurement> results = new ArrayList<>();
    Path numericSmall = sheet("numeric", small);
    Path numericLarge = sheet("numeric", rows);
    Path textSmall = sheet("text", small);
    Path textLarge = sheet("text", rows);
    Measurement usermodel =
        probe("POI usermodel (whole workbook), numeric-heavy", numericSmall, "usermodel", HEAP);
    if (usermodel.rows() == 0) {
      // It cannot run under the streaming reader's heap at all; measure its speed where it can run.
      Measurement roomy =
          probe(
              "POI usermodel (whole workbook), numeric-heavy",
              numericSmall,
              "usermodel",
              ROOMY_HEAP);
      usermodel = roomy.withNote("OUT OF MEMORY under " + HEAP + "; measured under " + ROOMY_HEAP);
    }
    results.add(usermodel);
    results.add(probe("streaming reader, numeric-heavy", numericSmall, "stream", HEAP));
    results.add(probe("streaming reader, numeric-heavy", numericLarge, "stream", HEAP));
    results.add(probe("streaming reader, string-heavy", textSmall, "stream", HEAP));
    results.add(probe("streaming reader, string-heavy", textLarge, "stream", HEAP));
    return results;
  }

  /** Writes a sheet with SXSSF (constant memory): a header and {@code count} inventory rows. */
  Path sheet(String kind, long count) throws IOException {
    Path file = folder.resolve(String.format(Locale.ROOT, "inventory-%s-%d.xlsx", kind, count));
    if (Files.exists(file)) {
      return file;
    }
    progress.printf("  xlsx: writing %,d %s rows ...%n", count, kind);
    SplittableRandom random = new SplittableRandom(seed);
    try (SXSSFWorkbook workbook = new SXSSFWorkbook(200);
        OutputStream out = Files.newOutputStream(file)) {
      workbook.setCompressTempFiles(true);
      Sheet sheet = workbook.createSheet("stock");
      CellStyle date = workbook.createCellStyle();
      date.setDataFormat(workbook.createDataFormat().getFormat("yyyy-mm-dd"));
      String[] header =
          kind.equals("numeric")
              ? new String[] {
                "store_id",
                "sku",
                "on_hand",
                "on_order",
                "reorder_point",
                "unit_cost",
                "unit_price",
                "sold_7d",
                "sold_30d",
                "received"
              }
              : new String[] {
                "store_id",
                "sku",
                "description",
                "category",
                "supplier",
                "brand",
                "colour",
                "size",
                "location",
                "notes"
              };
      Row first = sheet.createRow(0);
      for (int c = 0; c < header.length; c++) {
        first.createCell(c).setCellValue(header[c]);
      }
      for (int r = 1; r <= count; r++) {
        Row row = sheet.createRow(r);
        row.createCell(0).setCellValue(String.format("STORE-%03d", random.nextInt(40)));
        row.createCell(1).setCellValue("SKU-" + random.nextInt(1_000_000));
        if (kind.equals("numeric")) {
          for (int c = 2; c < 9; c++) {
            row.createCell(c)
                .setCellValue(
                    c == 5 || c == 6 ? random.nextInt(100, 100_000) / 100.0 : random.nextInt(500));
          }
          Cell received = row.createCell(9);
          received.setCellValue(LocalDate.of(2024, 1, 1).plusDays(random.nextInt(365)));
          received.setCellStyle(date);
        } else {
          for (int c = 2; c < 10; c++) {
            row.createCell(c)
                .setCellValue(
                    header[c] + " " + Long.toString(random.nextLong(1L << 40), 36) + " value");
          }
        }
      }
      workbook.write(out);
    }
    return file;
  }

  private Measurement probe(String method, Path file, String mode, String heap) throws Exception {
    progress.printf("  xlsx: %s on %s ...%n", method, file.getFileName());
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            heap,
            "-cp",
            System.getProperty("java.class.path"),
            XlsxProbe.class.getName(),
            mode,
            file.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String last = "";
    StringBuilder all = new StringBuilder();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        all.append(line).append('\n');
        if (line.startsWith("RESULT ")) {
          last = line;
        }
      }
    }
    int exit = process.waitFor();
    double mb = Files.size(file) / 1048576.0;
    if (exit != 0 || last.isEmpty()) {
      boolean outOfMemory = all.toString().contains("OutOfMemoryError");
      return new Measurement(
          method,
          0,
          Double.NaN,
          mb,
          0,
          (outOfMemory ? "OUT OF MEMORY under " : "FAILED under ") + heap);
    }
    String[] parts = last.split(" ");
    return new Measurement(
        method,
        Long.parseLong(parts[1]),
        Double.parseDouble(parts[2]),
        mb,
        Long.parseLong(parts[3]),
        heap + ", file " + String.format(Locale.ROOT, "%.1f MB", mb));
  }

  /** Runs in the child JVM: reads one sheet and prints "RESULT rows seconds peakHeapBytes". */
  public static final class XlsxProbe {
    private XlsxProbe() {}

    public static void main(String[] args) throws Exception {
      Path file = Path.of(args[1]);
      Measurement.resetPeaks();
      long start = System.nanoTime();
      long[] cells = new long[1];
      long rows;
      if (args[0].equals("usermodel")) {
        rows = 0;
        DataFormatter formatter = new DataFormatter();
        try (XSSFWorkbook workbook = new XSSFWorkbook(file.toFile())) {
          for (Row row : workbook.getSheetAt(0)) {
            for (Cell cell : row) {
              cells[0] += formatter.formatCellValue(cell).length();
            }
            rows++;
          }
        }
      } else {
        rows =
            XlsxRowReader.read(
                file,
                (n, values) -> {
                  for (String value : values) {
                    cells[0] += value.length();
                  }
                  return true;
                });
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.println(
          "RESULT " + rows + " " + seconds + " " + Measurement.peakHeap() + " " + cells[0]);
    }
  }
}
