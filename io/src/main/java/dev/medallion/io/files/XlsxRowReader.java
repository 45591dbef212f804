package dev.medallion.io.files;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.poi.UnsupportedFileFormatException;
import org.apache.poi.ooxml.POIXMLException;
import org.apache.poi.openxml4j.exceptions.InvalidFormatException;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.poifs.filesystem.FileMagic;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.util.RecordFormatException;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * Reads an XLSX sheet row by row with POI's streaming (SAX) API, so memory stays flat however many
 * rows the sheet has: the whole workbook is never held. Cells come as their displayed text, blank
 * cells as empty strings, in column order.
 */
public final class XlsxRowReader {
  /** Receives each row; return false to stop reading. */
  @FunctionalInterface
  public interface RowHandler {
    boolean row(int rowNumber, List<String> cells) throws IOException;
  }

  private XlsxRowReader() {}

  /** Reads the first sheet of {@code file}; returns the number of rows handed over. */
  public static long read(Path file, RowHandler handler) throws IOException {
    try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
      return read(pkg, handler);
    } catch (OpenXML4JException | SAXException | ParserConfigurationException e) {
      throw new IOException(file + " is not a readable XLSX workbook: " + e.getMessage(), e);
    }
  }

  /** Chooses the sheet to read from the workbook's sheet names, in order; empty when none fits. */
  @FunctionalInterface
  public interface SheetChooser {
    Optional<String> choose(List<String> sheetNames);
  }

  /**
   * Thrown when a workbook cannot be read at all: not a workbook, encrypted, a zip bomb, or no
   * sheet the chooser accepts. The message says which.
   */
  public static final class UnreadableWorkbookException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnreadableWorkbookException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Reads the sheet {@code chooser} picks, streaming, with cells as raw values rather than their
   * display: numbers in plain notation without grouping ({@code 1234.5}, never {@code 1,234.50}),
   * date-formatted numbers as ISO dates ({@code 2024-12-04}), formulas as their cached value, text
   * as written. Returns the name of the sheet read.
   *
   * @throws UnreadableWorkbookException for a file that is not a readable XLSX workbook (corrupt,
   *     encrypted, an old .xls, a zip bomb) or has no sheet the chooser accepts
   * @throws IOException what the handler throws
   */
  public static String readRaw(Path file, SheetChooser chooser, RowHandler handler)
      throws IOException {
    FileMagic magic;
    try (InputStream in = FileMagic.prepareToCheckMagic(Files.newInputStream(file))) {
      magic = FileMagic.valueOf(in);
    }
    if (magic == FileMagic.OLE2) {
      throw new UnreadableWorkbookException(
          "the workbook is encrypted (password protected) or an old .xls file; save it as an"
              + " unprotected .xlsx",
          null);
    }
    if (magic != FileMagic.OOXML) {
      throw new UnreadableWorkbookException(
          "not an XLSX workbook (the file is " + magic.name().toLowerCase(Locale.ROOT) + ")", null);
    }
    try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
      XSSFReader reader = new XSSFReader(pkg);
      List<String> names = new ArrayList<>();
      XSSFReader.SheetIterator all = (XSSFReader.SheetIterator) reader.getSheetsData();
      while (all.hasNext()) {
        try (InputStream ignored = all.next()) {
          names.add(all.getSheetName());
        }
      }
      String chosen =
          chooser
              .choose(List.copyOf(names))
              .orElseThrow(
                  () -> new UnreadableWorkbookException("no sheet to read among " + names, null));
      XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
      while (sheets.hasNext()) {
        try (InputStream sheet = sheets.next()) {
          if (sheets.getSheetName().equals(chosen)) {
            parse(pkg, reader, sheet, handler, new RawValues());
            return chosen;
          }
        }
      }
      throw new UnreadableWorkbookException("no sheet named " + chosen, null);
    } catch (UnreadableWorkbookException e) {
      throw e;
    } catch (OpenXML4JException
        | SAXException
        | ParserConfigurationException
        | POIXMLException
        | RecordFormatException
        | UnsupportedFileFormatException e) {
      throw new UnreadableWorkbookException(unreadable(e), e);
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("Zip bomb")) {
        throw new UnreadableWorkbookException(unreadable(e), e);
      }
      throw e;
    }
  }

  private static String unreadable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("Zip bomb")) {
        return "the workbook expands to far more than its size (a zip bomb): refused";
      }
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return "not a readable XLSX workbook: " + message.lines().findFirst().orElse("");
  }

  private static void parse(
      OPCPackage pkg,
      XSSFReader reader,
      InputStream sheet,
      RowHandler handler,
      DataFormatter formatter)
      throws IOException, SAXException, ParserConfigurationException {
    ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg);
    StylesTable styles;
    try {
      styles = reader.getStylesTable();
    } catch (InvalidFormatException e) {
      throw new IOException(e.getMessage(), e);
    }
    Collector collector = new Collector(handler);
    try {
      XMLReader parser = XMLHelper.newXMLReader();
      parser.setContentHandler(
          new XSSFSheetXMLHandler(styles, null, strings, collector, formatter, false));
      parser.parse(new InputSource(sheet));
    } catch (StopReading stop) {
      // the handler asked to stop
    } catch (UncheckedHandlerFailure failure) {
      throw failure.getCause();
    }
  }

  /**
   * Cell values as stored rather than displayed: a number in plain notation, a date-formatted
   * number as an ISO date. Display formats (thousands separators, fixed decimals, the locale's date
   * order) would otherwise have to be parsed back.
   */
  static final class RawValues extends DataFormatter {
    @Override
    public String formatRawCellContents(double value, int formatIndex, String formatString) {
      return formatRawCellContents(value, formatIndex, formatString, false);
    }

    @Override
    public String formatRawCellContents(
        double value, int formatIndex, String formatString, boolean use1904Windowing) {
      if (formatString != null
          && DateUtil.isADateFormat(formatIndex, formatString)
          && DateUtil.isValidExcelDate(value)) {
        LocalDateTime time = DateUtil.getLocalDateTime(value, use1904Windowing);
        return time.toLocalTime().equals(LocalTime.MIDNIGHT)
            ? time.toLocalDate().toString()
            : time.toString();
      }
      return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
  }

  private static long read(OPCPackage pkg, RowHandler handler)
      throws IOException, OpenXML4JException, SAXException, ParserConfigurationException {
    ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg);
    XSSFReader reader = new XSSFReader(pkg);
    StylesTable styles = reader.getStylesTable();
    XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
    if (!sheets.hasNext()) {
      return 0;
    }
    Collector collector = new Collector(handler);
    try (InputStream sheet = sheets.next()) {
      XMLReader parser = XMLHelper.newXMLReader();
      parser.setContentHandler(
          new XSSFSheetXMLHandler(styles, null, strings, collector, new DataFormatter(), false));
      parser.parse(new InputSource(sheet));
    } catch (StopReading stop) {
      // the handler asked to stop
    } catch (UncheckedHandlerFailure failure) {
      throw failure.getCause();
    }
    return collector.rows;
  }

  private static final class StopReading extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StopReading() {
      super(null, null, false, false);
    }
  }

  private static final class UncheckedHandlerFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UncheckedHandlerFailure(IOException cause) {
      super(cause);
    }

    @Override
    public synchronized IOException getCause() {
      return (IOException) super.getCause();
    }
  }

  private static final class Collector implements XSSFSheetXMLHandler.SheetContentsHandler {
    private final RowHandler handler;
    private final List<String> cells = new ArrayList<>();
    private long rows;

    Collector(RowHandler handler) {
      this.handler = handler;
    }

    @Override
    public void startRow(int rowNum) {
      cells.clear();
    }

    @Override
    public void endRow(int rowNum) {
      rows++;
      try {
        if (!handler.row(rowNum, List.copyOf(cells))) {
          throw new StopReading();
        }
      } catch (IOException e) {
        throw new UncheckedHandlerFailure(e);
      }
    }

    @Override
    public void cell(String reference, String value, XSSFComment comment) {
      int column = columnIndex(reference);
      while (cells.size() < column) {
        cells.add("");
      }
      cells.add(value == null ? "" : value);
    }

    static int columnIndex(String reference) {
      int column = 0;
      for (int i = 0; i < reference.length() && Character.isLetter(reference.charAt(i)); i++) {
        column = column * 26 + (reference.charAt(i) - 'A' + 1);
      }
      return column - 1;
    }
  }
}
