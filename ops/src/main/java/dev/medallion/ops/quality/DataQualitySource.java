package dev.medallion.ops.quality;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Where the operations service gets its data-quality numbers. {@link QuarantineQuality} counts them
 * from what every run leaves behind (its record counts and the quarantine's error classes); a
 * source over the declared checks can take its place without the service changing.
 */
public interface DataQualitySource {
  /** Records seen, records that were valid, and the issues by kind, over some runs. */
  record Summary(long totalRecords, long validRecords, Map<String, Long> issues) {
    /** valid ÷ total × 100 to two decimals; null when no record was seen. */
    @Nullable
    public Double qualityScore() {
      if (totalRecords == 0) {
        return null;
      }
      return Math.round(validRecords * 10000.0 / totalRecords) / 100.0;
    }

    public long issueCount() {
      return issues.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** One pipeline's numbers. */
  record PipelineQuality(String pipeline, Summary summary) {}

  /** Over the runs that started at or after {@code since}. */
  Summary summary(Instant since);

  /** The same, per pipeline, by name. */
  List<PipelineQuality> byPipeline(Instant since);
}
