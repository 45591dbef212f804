package dev.medallion.core.files;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Where a landed file goes once it is handled, written once for every landing zone: files whose
 * records are safe go to {@code <prefix>processed/YYYYMMDD/<name>}, files that could not be read
 * (or that no reader takes) to {@code <prefix>quarantine/YYYYMMDD/<name>}, the day being the UTC
 * day the file landed. Both folders sit under the landing prefix, which a zone lists without
 * descending, so a handled file is never read again as new.
 */
public final class FolderLayout {
  public static final String PROCESSED = "processed/";
  public static final String QUARANTINE = "quarantine/";
  private static final DateTimeFormatter DAY_FOLDER =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  private FolderLayout() {}

  /** {@code prefix} ends with '/' (or is empty, for a bucket's root). */
  public static String processedPath(String prefix, String name, long landedAtMillis) {
    return prefix + PROCESSED + day(landedAtMillis) + "/" + name;
  }

  public static String quarantinePath(String prefix, String name, long landedAtMillis) {
    return prefix + QUARANTINE + day(landedAtMillis) + "/" + name;
  }

  /**
   * Where a file goes when another file already holds its destination (a second upload of one name
   * on one day): the content's checksum before the extension, {@code sales.csv} becoming {@code
   * sales.<checksum>.csv}, so each upload keeps its own copy and its format.
   */
  public static String withChecksum(String destination, String checksum) {
    int slash = destination.lastIndexOf('/');
    int dot = destination.lastIndexOf('.');
    return dot > slash + 1
        ? destination.substring(0, dot) + "." + checksum + destination.substring(dot)
        : destination + "." + checksum;
  }

  /** Where a file of that name waits in the landing zone: directly under the prefix. */
  public static String landingPath(String prefix, String name) {
    return prefix + name;
  }

  /**
   * True for a name a device or a person landed: not a hidden file (editor and OS droppings such as
   * {@code .DS_Store}, object-store folder placeholders) and not an upload still in progress
   * ({@code .tmp}, {@code .part}), which would be read half-written. Every other file is handled:
   * read, or recorded as skipped when no reader takes its format.
   */
  public static boolean isLandedName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return !lower.isEmpty()
        && !lower.startsWith(".")
        && !lower.endsWith(".tmp")
        && !lower.endsWith(".part");
  }

  private static String day(long landedAtMillis) {
    return DAY_FOLDER.format(Instant.ofEpochMilli(landedAtMillis));
  }
}
