package dev.medallion.io.files;

import java.io.IOException;
import java.io.Serializable;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/** A place where devices drop files: a folder on a Beam FileSystem, or an object-store bucket. */
public interface LandingZone extends Serializable {

  /** Reads every supported file still waiting in the zone (not those under processed/). */
  PTransform<PBegin, PCollection<LandedFile>> read();

  /**
   * Watches the zone for new files, polling every {@code pollInterval}, as an unbounded collection
   * (continuous mode); each file is read once.
   */
  default PTransform<PBegin, PCollection<LandedFile>> watch(org.joda.time.Duration pollInterval) {
    throw new UnsupportedOperationException(
        "Continuous mode watches a folder or a gs:// prefix; " + describe() + " can only be read in scheduled runs.");
  }

  /**
   * Moves one file to its processed path. Moving a file that is already there is not an error, so a
   * re-run after a crash finishes the job.
   */
  void moveToProcessed(String path, String processedPath) throws IOException;

  /** Fails with a message that says what to fix when the zone cannot be read at all. */
  void checkReadable() throws IOException;

  /** A short description for logs and run records (never a credential). */
  String describe();
}
