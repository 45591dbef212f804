package dev.medallion.transforms.inventory;

import dev.medallion.ops.ErrorClass;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;

/**
 * One data row of a sheet with its header, and the cell parsers every inventory file needs: numbers
 * stored as text or with thousands separators, dates as serial numbers or text. Every error names
 * the cell ({@code Stock!D17}).
 */
public final class SheetRow {
  private static final Pattern GROUPED = Pattern.compile("[-+]?\\d{1,3}(,\\d{3})+(\\.\\d+)?");
  private static final Pattern SERIAL = Pattern.compile("\\d+(\\.\\d+)?");
  private final String sheet;
  private final int rowNumber;
  private final Map<String, Integer> columns;
  private final List<String> cells;
  private final DateTimeFormatter dateFormat;

  SheetRow(
      String sheet,
      int rowNumber,
      Map<String, Integer> columns,
      List<String> cells,
      DateTimeFormatter dateFormat) {
    this.sheet = sheet;
    this.rowNumber = rowNumber;
    this.columns = columns;
    this.cells = cells;
    this.dateFormat = dateFormat;
  }

  /** The row number as Excel shows it (1-based). */
  public int rowNumber() {
    return rowNumber;
  }

  public String sheet() {
    return sheet;
  }

  public boolean has(String column) {
    return columns.containsKey(column);
  }

  /** The cell's text, stripped; empty when blank or the column is absent. */
  public String text(String column) {
    Integer index = columns.get(column);
    if (index == null || index >= cells.size()) {
      return "";
    }
    return cells.get(index).replace('\u00A0', ' ').strip();
  }

  /** The cell reference, e.g. {@code Stock!D17}. */
  public String ref(String column) {
    Integer index = columns.get(column);
    String letters = index == null ? "?" : CellReference.convertNumToColString(index);
    return sheet + "!" + letters + rowNumber;
  }

  /** The row as {@code header=value} pairs, for the quarantine's excerpt. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    columns.forEach(
        (name, index) -> {
          if (out.length() > 0) {
            out.append(", ");
          }
          out.append(name).append('=').append(index < cells.size() ? cells.get(index) : "");
        });
    return out.toString();
  }

  public String requiredText(String column) throws BadCellException {
    String text = text(column);
    if (text.isEmpty()) {
      throw new BadCellException(
          ErrorClass.MISSING_FIELD, ref(column) + ": " + column + " is empty");
    }
    return text;
  }

  /** A number: blank is an error; thousands separators ({@code 1,234.5}) are accepted. */
  public BigDecimal number(String column) throws BadCellException {
    String text = requiredText(column);
    String plain = GROUPED.matcher(text).matches() ? text.replace(",", "") : text;
    plain = plain.replace(" ", "");
    try {
      return new BigDecimal(plain);
    } catch (NumberFormatException e) {
      throw new BadCellException(
          ErrorClass.INVALID_TYPE, ref(column) + ": '" + text + "' is not a number");
    }
  }

  /** A number that must be a whole number of at least {@code min}. */
  public BigDecimal wholeNumber(String column, int min) throws BadCellException {
    BigDecimal n = number(column);
    if (n.stripTrailingZeros().scale() > 0 || n.compareTo(BigDecimal.valueOf(min)) < 0) {
      throw new BadCellException(
          ErrorClass.INVALID_VALUE,
          ref(column) + ": '" + text(column) + "' is not a whole number of at least " + min);
    }
    return n;
  }

  /**
   * A date: an Excel serial number (a date cell, or a number in a text cell), ISO {@code
   * 2024-12-04}, or the configured text format (e.g. {@code dd/MM/yyyy}).
   */
  public LocalDate date(String column) throws BadCellException {
    String text = requiredText(column);
    try {
      if (SERIAL.matcher(text).matches()) {
        double serial = Double.parseDouble(text);
        if (DateUtil.isValidExcelDate(serial) && serial >= 1) {
          return DateUtil.getLocalDateTime(serial).toLocalDate();
        }
      } else if (text.length() >= 10 && text.charAt(4) == '-') {
        return LocalDate.parse(text.substring(0, 10));
      } else {
        return LocalDate.parse(text, dateFormat);
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      // reported below
    }
    throw new BadCellException(
        ErrorClass.INVALID_TYPE,
        ref(column) + ": '" + text + "' is not a date (ISO, an Excel date or " + dateFormat + ")");
  }
}
