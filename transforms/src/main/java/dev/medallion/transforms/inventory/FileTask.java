package dev.medallion.transforms.inventory;

import dev.medallion.io.gdrive.DriveFile;
import java.io.Serializable;
import java.time.LocalDate;
import javax.annotation.Nullable;

/**
 * One file a run reads into silver, with its ops.file_jobs row. A file of a Google Drive folder
 * carries its listing entry ({@code drive}): the worker downloads it by id, and {@code path} is its
 * landing name {@code gdrive://FOLDER_ID/NAME}.
 */
public record FileTask(
    long jobId,
    FileKind kind,
    String path,
    LocalDate fileDate,
    @Nullable String store,
    @Nullable DriveFile drive)
    implements Serializable {

  /** A local file. */
  public FileTask(
      long jobId, FileKind kind, String path, LocalDate fileDate, @Nullable String store) {
    this(jobId, kind, path, fileDate, store, null);
  }
}
