package dev.medallion.io.files;

import java.io.Serializable;
import java.util.Optional;

/**
 * How large a landed file and one of its records may be. A file over its limit is quarantined whole
 * without being parsed; a record over its limit is quarantined alone and the rest of its file
 * lands. The defaults (256 MiB a file, 20 MiB a record) keep a worker's memory bounded: a file is
 * held whole while it is read, and a bronze row holds its record as one jsonb value.
 */
public final class FileLimits implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final long DEFAULT_MAX_FILE_BYTES = 256L * 1024 * 1024;
  public static final long DEFAULT_MAX_RECORD_BYTES = 20L * 1024 * 1024;

  private final long maxFileBytes;
  private final long maxRecordBytes;

  private FileLimits(long maxFileBytes, long maxRecordBytes) {
    this.maxFileBytes = maxFileBytes;
    this.maxRecordBytes = maxRecordBytes;
  }

  public static FileLimits defaults() {
    return new FileLimits(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_RECORD_BYTES);
  }

  /** At most {@code bytes} a file (Java arrays cap a file held whole at 2 GiB). */
  public FileLimits withMaxFileBytes(long bytes) {
    if (bytes <= 0 || bytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "withMaxFileBytes() takes 1 to " + (Integer.MAX_VALUE - 8) + " bytes, got " + bytes);
    }
    return new FileLimits(bytes, maxRecordBytes);
  }

  /** At most {@code bytes} of JSON text a record. */
  public FileLimits withMaxRecordBytes(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException(
          "withMaxRecordBytes() takes a positive size, got " + bytes);
    }
    return new FileLimits(maxFileBytes, bytes);
  }

  public long maxFileBytes() {
    return maxFileBytes;
  }

  public long maxRecordBytes() {
    return maxRecordBytes;
  }

  /** Why a file of {@code sizeBytes} is refused, or empty when it is within the limit. */
  public Optional<String> fileProblem(long sizeBytes) {
    return sizeBytes <= maxFileBytes
        ? Optional.empty()
        : Optional.of(
            "the file is "
                + sizeBytes
                + " bytes, over the limit of "
                + maxFileBytes
                + " bytes a file (--max-file-bytes)");
  }

  /** Why a record of this JSON text is refused, or empty when it is within the limit. */
  public Optional<String> recordProblem(String json) {
    // A character is at most 3 UTF-8 bytes (4 for a surrogate pair, i.e. 2 per char): skip the
    // exact count for the records that are certainly small enough.
    if ((long) json.length() * 3 <= maxRecordBytes) {
      return Optional.empty();
    }
    long bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    return bytes <= maxRecordBytes
        ? Optional.empty()
        : Optional.of(
            "the record is "
                + bytes
                + " bytes of JSON, over the limit of "
                + maxRecordBytes
                + " bytes a record (--max-record-bytes)");
  }
}
