package dev.medallion.transforms;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;

/** How the pipelines' record types are encoded between steps. */
public final class RecordCoders {
  private RecordCoders() {}

  /** A record type's coder: its schema's, else the one registered for it (e.g. @DefaultCoder). */
  public static <T> Coder<T> of(Pipeline pipeline, Class<T> type) {
    try {
      return pipeline.getSchemaRegistry().getSchemaCoder(type);
    } catch (NoSuchSchemaException noSchema) {
      try {
        return pipeline.getCoderRegistry().getCoder(type);
      } catch (CannotProvideCoderException e) {
        throw new IllegalStateException(type + " has neither a schema nor a coder", e);
      }
    }
  }

  /**
   * A record written field by field with {@link FieldCoding}, always in the same order: equal
   * records encode to equal bytes, so the record may serve as a grouping key.
   *
   * <p>Beam 2.62's {@code @DefaultCoder} finds a subclass through its own static {@code
   * getCoderProvider()}: a static method cannot be shared here.
   */
  public abstract static class FieldByField<T> extends AtomicCoder<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public void verifyDeterministic() {}
  }
}
