package dev.medallion.io.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.ss.usermodel.DataFormatter;
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
