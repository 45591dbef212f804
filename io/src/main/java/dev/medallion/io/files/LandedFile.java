package dev.medallion.io.files;

import com.google.auto.value.AutoValue;
import dev.medallion.core.files.FolderLayout;
import java.io.Serializable;
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

  /** Where the file is, as the landing zone names it (a full path, or an object key). */
  public abstract String path();

  /** The file name without folders. */
  public abstract String name();

  /**
   * The landing prefix the file sits directly under (ends with '/', or empty for a bucket root).
   */
  public abstract String prefix();

  @SuppressWarnings("mutable")
  public abstract byte[] content();

  public abstract long sizeBytes();

  /** Lower-case hex MD5 of the content, the same value object stores publish as an ETag. */
  public abstract String checksum();

  /** When the file landed (its storage timestamp), in epoch milliseconds. */
  public abstract long landedAtMillis();

  /** Where the file goes once its records are safe: {@link FolderLayout#processedPath}. */
  public String processedPath() {
    return FolderLayout.processedPath(prefix(), name(), landedAtMillis());
  }

  /**
   * Where the file goes when it cannot be read, or no reader takes it: {@link
   * FolderLayout#quarantinePath}.
   */
  public String quarantinePath() {
    return FolderLayout.quarantinePath(prefix(), name(), landedAtMillis());
  }

  public static LandedFile create(String prefix, String name, byte[] content, long landedAtMillis) {
    return create(prefix, name, content, content.length, Checksums.md5Hex(content), landedAtMillis);
  }

  public static LandedFile create(
      String prefix,
      String name,
      byte[] content,
      long sizeBytes,
      String checksum,
      long landedAtMillis) {
    return new AutoValue_LandedFile(
        FolderLayout.landingPath(prefix, name),
        name,
        prefix,
        content,
        sizeBytes,
        checksum,
        landedAtMillis);
  }
}
