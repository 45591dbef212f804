package dev.medallion.transforms.inventory;

import dev.medallion.io.files.XlsxRowReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the data rows of an inventory workbook, streaming ({@link XlsxRowReader#readRaw}): picks
 * the sheet, finds the header in the first {@value SheetLayout#HEADER_SEARCH_ROWS} rows (title rows
 * above it are skipped), matches columns by name, skips blank rows, and hands each data row to the
 * consumer. Memory holds one row at a time.
 */
public final class WorkbookRows {
  /** Receives each data row. */
  @FunctionalInterface
  public interface Consumer {
    void row(SheetRow row) throws IOException;
  }

  /** What was read: the sheet and how many data rows were handed over. */
  public record Summary(String sheet, long rows) {}

  private WorkbookRows() {}

  /**
   * Reads {@code file}'s data rows.
   *
   * @throws WorkbookFailure when the file fails as a whole: unreadable, no such sheet, no header
   */
  public static Summary read(
      Path file, SheetLayout layout, DateTimeFormatter dateFormat, Consumer consumer)
      throws WorkbookFailure, IOException {
    String name = file.getFileName().toString();
    HeaderState state = new HeaderState(layout);
    long[] rows = {0};
    String[] sheet = {layout.sheetName()};
    try {
      sheet[0] =
          XlsxRowReader.readRaw(
              file,
              names -> layout.choose(names).map(n -> (sheet[0] = n)),
              (rowNumber, cells) -> {
                if (state.columns == null) {
                  if (rowNumber >= SheetLayout.HEADER_SEARCH_ROWS) {
                    return false;
                  }
                  state.offer(rowNumber, cells);
                  return true;
                }
                if (cells.stream().allMatch(c -> c.isBlank())) {
                  return true;
                }
                rows[0]++;
                consumer.row(
                    new SheetRow(sheet[0], rowNumber + 1, state.columns, cells, dateFormat));
                return true;
              });
    } catch (XlsxRowReader.UnreadableWorkbookException e) {
      if (e.getMessage().startsWith("no sheet")) {
        throw new WorkbookFailure(
            name + ": no sheet named '" + layout.sheetName() + "' (" + e.getMessage() + ")", e);
      }
      throw new WorkbookFailure(name + ": " + e.getMessage(), e);
    }
    if (state.columns == null) {
      throw new WorkbookFailure(name + ": " + state.problem(sheet[0]), null);
    }
    return new Summary(sheet[0], rows[0]);
  }

  /** Looks for the header among the first rows; remembers the best candidate for the error. */
  private static final class HeaderState {
    final SheetLayout layout;
    Map<String, Integer> columns;
    int bestRow = -1;
    List<String> bestMissing;

    HeaderState(SheetLayout layout) {
      this.layout = layout;
    }

    void offer(int rowNumber, List<String> cells) {
      Map<String, Integer> found = new LinkedHashMap<>();
      for (ColumnSpec spec : layout.columns()) {
        for (int i = 0; i < cells.size(); i++) {
          if (spec.matches(cells.get(i))) {
            found.put(spec.name(), i);
            break;
          }
        }
      }
      List<String> missing = new ArrayList<>();
      for (ColumnSpec spec : layout.columns()) {
        if (spec.required() && !found.containsKey(spec.name())) {
          missing.add(spec.name());
        }
      }
      if (missing.isEmpty()) {
        columns = found;
      } else if (!found.isEmpty() && (bestMissing == null || missing.size() < bestMissing.size())) {
        bestRow = rowNumber;
        bestMissing = missing;
      }
    }

    String problem(String sheet) {
      if (bestMissing == null) {
        return sheet
            + ": no header row in rows 1-"
            + SheetLayout.HEADER_SEARCH_ROWS
            + " (it needs the columns "
            + String.join(", ", required())
            + ")";
      }
      return sheet
          + "!row "
          + (bestRow + 1)
          + ": the header lacks the required column(s) "
          + String.join(", ", bestMissing.stream().map(this::withAliases).toList());
    }

    private List<String> required() {
      return layout.columns().stream().filter(ColumnSpec::required).map(ColumnSpec::name).toList();
    }

    private String withAliases(String column) {
      for (ColumnSpec spec : layout.columns()) {
        if (spec.name().equals(column) && !spec.aliases().isEmpty()) {
          return "'" + column + "' (or " + String.join(", ", spec.aliases()) + ")";
        }
      }
      return "'" + column + "'";
    }
  }
}
