package dev.medallion.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The README's numbers are the bench's own output: {@code --readme README.md} replaces what lies
 * between {@value #BEGIN} and {@value #END} with the report, and leaves every other line as it was.
 */
public final class ReadmeBlock {
  public static final String BEGIN = "<!-- bench:begin -->";
  public static final String END = "<!-- bench:end -->";

  private ReadmeBlock() {}

  /** {@code readme} with the text between the markers replaced by {@code generated}. */
  public static String replace(String readme, String generated) {
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    if (begin < 0 || end < 0) {
      throw new IllegalArgumentException(
          "the README has no block for the bench: put "
              + BEGIN
              + " and "
              + END
              + " on lines of their own around the numbers");
    }
    if (readme.indexOf(BEGIN, begin + 1) >= 0 || readme.indexOf(END, end + 1) >= 0) {
      throw new IllegalArgumentException(
          "the README has more than one " + BEGIN + " or " + END + ": keep one block");
    }
    if (end < begin) {
      throw new IllegalArgumentException("the README has " + END + " before " + BEGIN);
    }
    String body = generated.endsWith("\n") ? generated : generated + "\n";
    return readme.substring(0, begin + BEGIN.length())
        + "\n\n"
        + body
        + "\n"
        + readme.substring(end);
  }

  /**
   * Rewrites the file in place (through a temporary file beside it, so it is never half-written).
   */
  public static void update(Path readme, String generated) throws IOException {
    String updated = replace(Files.readString(readme, StandardCharsets.UTF_8), generated);
    Path temporary = readme.resolveSibling(readme.getFileName() + ".bench-tmp");
    Files.writeString(temporary, updated, StandardCharsets.UTF_8);
    Files.move(temporary, readme, StandardCopyOption.REPLACE_EXISTING);
  }
}
