package dev.medallion.io.files;

import java.io.IOException;
import java.io.Serializable;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/** A place where devices drop files: a folder on a Beam FileSystem, or an object-store bucket. */
public interface LandingZone extends Serializable {

  /**
   * Reads every file still waiting in the zone: those directly under its prefix (not processed/ or
   * quarantine/) whose names {@link dev.medallion.core.files.FolderLayout#isLandedName} accepts,
   * whatever their format: which files can be read is the record readers' business, not the zone's.
   */
  PTransform<PBegin, PCollection<LandedFile>> read();

  /**
   * Watches the zone for new files, polling every {@code pollInterval}, as an unbounded collection
   * (continuous mode); each file is read once.
   */
  default PTransform<PBegin, PCollection<LandedFile>> watch(org.joda.time.Duration pollInterval) {
    throw new UnsupportedOperationException(
        "Continuous mode watches a folder or a gs:// prefix; "
            + describe()
            + " can only be read in scheduled runs.");
  }

  /**
   * Moves one file within the zone (to processed/ or quarantine/, or back for a replay). Moving a
   * file that is already at its destination is not an error, so a re-run after a crash finishes the
   * job.
   */
  void move(String path, String destination) throws IOException;

  /** Fails with a message that says what to fix when the zone cannot be read at all. */
  void checkReadable() throws IOException;

  /** A short description for logs and run records (never a credential). */
  String describe();
}
