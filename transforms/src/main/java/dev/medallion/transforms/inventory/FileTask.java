package dev.medallion.transforms.inventory;

import java.io.Serializable;
import java.time.LocalDate;
import javax.annotation.Nullable;

/** One file a run reads into silver, with its ops.file_jobs row. */
public record FileTask(
    long jobId, FileKind kind, String path, LocalDate fileDate, @Nullable String store)
    implements Serializable {}
