package dev.medallion.io.gdrive;

import java.io.Serializable;
import java.time.Instant;
import java.util.Optional;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/**
 * One entry of a Drive folder listing (files.list with the fields the zone asks for).
 *
 * @param md5Checksum hex MD5 of the content; Drive sends it for binary files only
 * @param size bytes, sent as a JSON string; null for Google-native files
 */
@DefaultCoder(SerializableCoder.class)
public record DriveFile(
    String id,
    String name,
    String mimeType,
    Instant modifiedTime,
    @Nullable String md5Checksum,
    @Nullable Long size)
    implements Serializable {

  public static final String FOLDER_MIME = "application/vnd.google-apps.folder";
  public static final String SHEETS_MIME = "application/vnd.google-apps.spreadsheet";
  public static final String XLSX_MIME =
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  static final String GOOGLE_NATIVE_PREFIX = "application/vnd.google-apps.";

  /** A Google Sheets spreadsheet: no bytes of its own, only an export. */
  public boolean isSheet() {
    return SHEETS_MIME.equals(mimeType);
  }

  /**
   * Identifies this version of the file: the id and the content checksum, or, for a Google-native
   * file that has none, the modification time. A file edited after it was first seen gets a new
   * version key, so a watch emits it again.
   */
  public String versionKey() {
    return id + "@" + (md5Checksum != null ? md5Checksum : modifiedTime.toString());
  }

  /**
   * The name the file lands under: a Sheet exported as XLSX gets ".xlsx", so the record readers,
   * which choose by extension, take it.
   */
  public String landedName() {
    return isSheet() && !name.toLowerCase(java.util.Locale.ROOT).endsWith(".xlsx")
        ? name + ".xlsx"
        : name;
  }

  /**
   * Why the zone does not read this file, or empty when it does: sub-folders are not read (as a
   * folder landing zone reads only its top level), other Google-native files (Docs, Slides, Forms)
   * have no bytes to download, and a Sheet is read only when the zone exports Sheets.
   */
  public Optional<String> skipReason(GoogleDriveIO.SheetsHandling sheets) {
    if (FOLDER_MIME.equals(mimeType)) {
      return Optional.of("a sub-folder: only the files directly in the folder are read");
    }
    if (isSheet()) {
      return sheets == GoogleDriveIO.SheetsHandling.EXPORT_XLSX
          ? Optional.empty()
          : Optional.of(
              "a Google Sheets spreadsheet, which has no file to download, and exporting Sheets"
                  + " is off: save it as .xlsx in the folder, or turn the export on");
    }
    if (mimeType.startsWith(GOOGLE_NATIVE_PREFIX)) {
      return Optional.of(
          "a Google-native file ("
              + mimeType
              + ") with no file content to download; only binary files and Sheets are read");
    }
    return Optional.empty();
  }
}
