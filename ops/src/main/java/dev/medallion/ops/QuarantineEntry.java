package dev.medallion.ops;

import java.time.OffsetDateTime;
import javax.annotation.Nullable;

/** One row of ops.quarantine, as the CLI and the operations service read it. */
public record QuarantineEntry(
    long id,
    String pipeline,
    Layer layer,
    String source,
    int recordIndex,
    @Nullable String recordKey,
    String reason,
    ErrorClass errorClass,
    @Nullable String payload,
    @Nullable String runId,
    OffsetDateTime quarantinedAt,
    @Nullable OffsetDateTime replayedAt,
    @Nullable String replayRunId) {

  /**
   * The source and position, e.g. {@code landing/a.json record 3} or {@code shows.json (whole
   * request)}.
   */
  public String where() {
    return source
        + (recordIndex < 0
            ? " (whole " + (layer == Layer.BRONZE ? "file or request" : "source") + ")"
            : " record " + recordIndex);
  }
}
