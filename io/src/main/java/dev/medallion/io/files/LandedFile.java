package dev.medallion.io.files;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/**
 * One file found in a landing zone, with its bytes, MD5 checksum and the time it landed.
 *
 * <p>Encoded with Java serialization: Beam's AutoValueSchema only sees {@code getX()} accessors, so
 * for this class it inferred a schema with no fields and every file lost its contents when coded.
 */
@DefaultCoder(SerializableCoder.class)
@AutoValue
public abstract class LandedFile implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final DateTimeFormatter PROCESSED_FOLDER =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  /** Where the file is, as the landing zone names it (a full path, or an object key). */
  public abstract String path();

  /** The file name without folders. */
  public abstract String name();

  /** Where the file goes once its records are in bronze: {@code <prefix>processed/YYYYMMDD/<name>}. */
  public abstract String processedPath();

  @SuppressWarnings("mutable")
  public abstract byte[] content();

  public abstract long sizeBytes();

  /** Lower-case hex MD5 of the content, the same value object stores publish as an ETag. */
  public abstract String checksum();

  /** When the file landed (its storage timestamp), in epoch milliseconds. */
  public abstract long landedAtMillis();

  public static LandedFile create(String prefix, String name, byte[] content, long landedAtMillis) {
    String processedPath =
        prefix + "processed/" + PROCESSED_FOLDER.format(Instant.ofEpochMilli(landedAtMillis)) + "/" + name;
    return new AutoValue_LandedFile(
        prefix + name, name, processedPath, content, content.length, Checksums.md5Hex(content), landedAtMillis);
  }

  public static LandedFile create(
      String path, String name, String processedPath, byte[] content, long sizeBytes, String checksum, long landedAtMillis) {
    return new AutoValue_LandedFile(path, name, processedPath, content, sizeBytes, checksum, landedAtMillis);
  }

  /** True for the formats edge devices write: JSON (one object, an array, or JSON lines) and CSV. */
  public static boolean isSupportedName(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    return !lower.startsWith(".")
        && (lower.endsWith(".json") || lower.endsWith(".jsonl") || lower.endsWith(".ndjson") || lower.endsWith(".csv"));
  }
}
