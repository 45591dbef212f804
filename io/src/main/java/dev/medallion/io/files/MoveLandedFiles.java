package dev.medallion.io.files;

import dev.medallion.core.LayerMetrics.RunMetric;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves files within their landing zone (source path to destination path). A file that cannot be
 * moved stays where it is with a warning: its records are already safe, and the next run, finding
 * its checksum in the file ledger, tries the move again.
 */
public final class MoveLandedFiles
    extends PTransform<PCollection<KV<String, String>>, PCollection<String>> {
  private static final long serialVersionUID = 1L;
  private final LandingZone zone;

  private MoveLandedFiles(LandingZone zone) {
    this.zone = zone;
  }

  public static MoveLandedFiles within(LandingZone zone) {
    return new MoveLandedFiles(zone);
  }

  @Override
  public PCollection<String> expand(PCollection<KV<String, String>> moves) {
    return moves.apply("MoveFile", ParDo.of(new MoveFn(zone)));
  }

  static final class MoveFn extends DoFn<KV<String, String>, String> {
    private static final long serialVersionUID = 1L;
    private final Mover mover;

    MoveFn(LandingZone zone) {
      this.mover = new Mover(zone);
    }

    @ProcessElement
    public void process(@Element KV<String, String> move, OutputReceiver<String> out) {
      if (mover.move(move.getKey(), move.getValue())) {
        out.output(move.getValue());
      }
    }
  }

  /** Moves one file, counting it; a file that cannot be moved is left in place with a warning. */
  public static final class Mover implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MoveLandedFiles.class);
    private final Counter moved = RunMetric.FILES_MOVED.counter();
    private final Counter notMoved = RunMetric.FILES_NOT_MOVED.counter();
    private final LandingZone zone;

    public Mover(LandingZone zone) {
      this.zone = zone;
    }

    /** True when the file is now at {@code destination}. */
    public boolean move(String path, String destination) {
      try {
        zone.move(path, destination);
        moved.inc();
        return true;
      } catch (IOException e) {
        notMoved.inc();
        LOG.warn("Left {} in place: could not move it to {}: {}", path, destination, reason(e));
        return false;
      }
    }

    /**
     * Why a move failed, in words: the JDK's exception for a refused permission carries only the
     * path in its message.
     */
    static String reason(IOException e) {
      if (e instanceof AccessDeniedException denied) {
        return "permission denied on "
            + denied.getFile()
            + (denied.getOtherFile() == null ? "" : " or " + denied.getOtherFile())
            + " (the user running medallion needs write access to the landing folder and its"
            + " processed/ and quarantine/ folders)";
      }
      if (e instanceof FileSystemException failed && failed.getReason() != null) {
        return failed.getReason()
            + " ("
            + failed.getFile()
            + (failed.getOtherFile() == null ? "" : " -> " + failed.getOtherFile())
            + ")";
      }
      return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
  }
}
