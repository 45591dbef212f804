package dev.medallion.transforms.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.time.LocalDate;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * What one daily snapshot covers: a pipeline and a business date. Each key is aggregated on its
 * own, so one pipeline's (or one date's) volume or silence never holds up another's.
 */
public record SnapshotKey(String pipeline, LocalDate businessDate) implements Serializable {
  public SnapshotKey {
    if (pipeline == null || pipeline.isBlank()) {
      throw new IllegalArgumentException("SnapshotKey needs a pipeline name");
    }
    if (businessDate == null) {
      throw new IllegalArgumentException("SnapshotKey needs a business date");
    }
  }

  public static SnapshotKey of(String pipeline, LocalDate businessDate) {
    return new SnapshotKey(pipeline, businessDate);
  }

  @Override
  public String toString() {
    return pipeline + "/" + businessDate;
  }

  /**
   * A deterministic coder (pipeline, ISO date), as keyed state requires; Java serialization is not
   * deterministic.
   */
  public static final class Coder extends AtomicCoder<SnapshotKey> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(SnapshotKey value, OutputStream out) throws IOException {
      STRING.encode(value.pipeline(), out);
      STRING.encode(value.businessDate().toString(), out);
    }

    @Override
    public SnapshotKey decode(InputStream in) throws IOException {
      return new SnapshotKey(STRING.decode(in), LocalDate.parse(STRING.decode(in)));
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
