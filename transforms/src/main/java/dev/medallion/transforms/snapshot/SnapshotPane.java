package dev.medallion.transforms.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One firing for a key: everything seen so far for that pipeline and business date (accumulating,
 * as a Beam ACCUMULATING pane), so whoever writes the snapshot rewrites the whole day from it.
 *
 * @param index 0 for the key's first pane, then 1, 2, ...
 * @param firing what fired it
 * @param elements every element of the key so far, in arrival order
 * @param bytes their total size, as the size function measured it
 */
public record SnapshotPane<T>(
    SnapshotKey key, long index, Firing firing, List<T> elements, long bytes)
    implements Serializable {

  /** Why a pane fired. */
  public enum Firing {
    /** {@link FlushPolicy#maxElements()} new elements. */
    COUNT,
    /** {@link FlushPolicy#maxBytes()} new bytes. */
    BYTES,
    /** {@link FlushPolicy#maxDelay()} after the first new element. */
    TIME,
    /** The input ended (a bounded run, or a drained stream) with elements not yet fired. */
    FINAL
  }

  public static <T> Coder<SnapshotPane<T>> coder(Coder<T> elementCoder) {
    return new PaneCoder<>(elementCoder);
  }

  static final class PaneCoder<T> extends CustomCoder<SnapshotPane<T>> {
    private static final long serialVersionUID = 1L;
    private final ListCoder<T> elements;

    PaneCoder(Coder<T> elementCoder) {
      this.elements = ListCoder.of(elementCoder);
    }

    @Override
    public void encode(SnapshotPane<T> pane, OutputStream out) throws IOException {
      SnapshotKey.Coder.of().encode(pane.key(), out);
      VarLongCoder.of().encode(pane.index(), out);
      StringUtf8Coder.of().encode(pane.firing().name(), out);
      elements.encode(pane.elements(), out);
      VarLongCoder.of().encode(pane.bytes(), out);
    }

    @Override
    public SnapshotPane<T> decode(InputStream in) throws IOException {
      return new SnapshotPane<>(
          SnapshotKey.Coder.of().decode(in),
          VarLongCoder.of().decode(in),
          Firing.valueOf(StringUtf8Coder.of().decode(in)),
          elements.decode(in),
          VarLongCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      elements.verifyDeterministic();
    }
  }
}
