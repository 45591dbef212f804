package dev.medallion.transforms.ingest;

import dev.medallion.io.files.LandedFile;
import java.io.Serializable;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/** One row of the file ledger: a landed file and what became of it. */
@DefaultCoder(SerializableCoder.class)
public record LedgerEntry(
    String pipeline,
    String checksum,
    String path,
    long sizeBytes,
    long landedAtMillis,
    int records,
    int quarantined,
    FileStatus status,
    @Nullable String reason,
    @Nullable String runId)
    implements Serializable {

  static LedgerEntry of(
      String pipeline,
      @Nullable String runId,
      LandedFile file,
      int records,
      int quarantined,
      FileStatus status,
      @Nullable String reason) {
    return new LedgerEntry(
        pipeline,
        file.checksum(),
        file.path(),
        file.sizeBytes(),
        file.landedAtMillis(),
        records,
        quarantined,
        status,
        reason,
        runId);
  }
}
