package dev.medallion.transforms.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.time.LocalDate;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A file {@link ReadFilesIntoSilver} has handled (read into silver, or failed alone): what the
 * daily-snapshot aggregator counts and weighs. Small on purpose: a pane holds every one of its
 * date's files.
 *
 * @param bytes the workbook's size, what {@code batch_bytes} adds up
 */
public record FileRead(long jobId, FileKind kind, String path, LocalDate fileDate, long bytes)
    implements Serializable {

  /** The file's name, without its folder. */
  public String name() {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return path.substring(slash + 1);
  }

  /** A compact coder; keyed state holds these. */
  public static final class Coder extends AtomicCoder<FileRead> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();
    private static final StringUtf8Coder TEXT = StringUtf8Coder.of();
    private static final VarLongCoder NUMBER = VarLongCoder.of();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(FileRead value, OutputStream out) throws IOException {
      NUMBER.encode(value.jobId(), out);
      TEXT.encode(value.kind().name(), out);
      TEXT.encode(value.path(), out);
      NUMBER.encode(value.fileDate().toEpochDay(), out);
      NUMBER.encode(value.bytes(), out);
    }

    @Override
    public FileRead decode(InputStream in) throws IOException {
      return new FileRead(
          NUMBER.decode(in),
          FileKind.valueOf(TEXT.decode(in)),
          TEXT.decode(in),
          LocalDate.ofEpochDay(NUMBER.decode(in)),
          NUMBER.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
