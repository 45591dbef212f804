package dev.medallion.io.files;

import dev.medallion.core.LayerMetrics.RunMetric;
import dev.medallion.core.files.FolderLayout;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Requirements;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.Watch;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * A landing prefix on any Beam FileSystem: a local folder, or {@code gs://bucket/prefix/} through
 * Beam's GCP file system. Only the files directly under the prefix are read; processed/ and
 * quarantine/ are not.
 */
public final class FileSystemLandingZone implements LandingZone {
  private static final long serialVersionUID = 1L;

  private final String prefix;

  private FileSystemLandingZone(String prefix) {
    this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
  }

  public static FileSystemLandingZone at(String location) {
    return new FileSystemLandingZone(location);
  }

  public String prefix() {
    return prefix;
  }

  @Override
  public PTransform<PBegin, PCollection<LandedFile>> read() {
    return new ReadLandingFolder(prefix);
  }

  @Override
  public PTransform<PBegin, PCollection<LandedFile>> watch(org.joda.time.Duration pollInterval) {
    return new WatchLandingFolder(prefix, pollInterval);
  }

  @Override
  public void checkReadable() throws IOException {
    list(prefix);
    if (!prefix.contains("://")) {
      java.nio.file.Path folder = java.nio.file.Paths.get(prefix);
      if (!java.nio.file.Files.isDirectory(folder)) {
        throw new FileNotFoundException(
            "Source folder "
                + folder.toAbsolutePath()
                + " does not exist. Pass --source with the folder your devices upload to.");
      }
    }
  }

  /**
   * {@inheritDoc} When another file (other content) already holds the destination, the file goes
   * beside it under {@link FolderLayout#withChecksum}: an upload never overwrites another's copy.
   */
  @Override
  public void move(String path, String destination) throws IOException {
    ResourceId source = FileSystems.matchNewResource(path, false);
    if (!exists(path)) {
      if (exists(destination)) {
        return;
      }
      throw new FileNotFoundException(
          "Cannot move " + path + " to " + destination + ": neither exists");
    }
    String free = destination;
    if (exists(destination)) {
      String checksum = Checksums.md5Hex(readAll(path));
      if (!checksum.equals(Checksums.md5Hex(readAll(destination)))) {
        free = FolderLayout.withChecksum(destination, checksum);
      }
    }
    ResourceId target = FileSystems.matchNewResource(free, false);
    if (!prefix.contains("://")) {
      java.nio.file.Files.createDirectories(java.nio.file.Paths.get(free).getParent());
    }
    FileSystems.rename(
        List.of(source), List.of(target), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  /** What is directly under the prefix (files and folders). */
  private static MatchResult list(String prefix) throws IOException {
    MatchResult match = FileSystems.match(prefix + "*", EmptyMatchTreatment.ALLOW);
    if (match.status() == MatchResult.Status.ERROR) {
      throw new IOException(
          "Cannot list " + prefix + ": check that the folder exists and is readable.");
    }
    return match;
  }

  private static byte[] readAll(String path) throws IOException {
    try (ReadableByteChannel channel =
        FileSystems.open(FileSystems.matchNewResource(path, false))) {
      return Channels.newInputStream(channel).readAllBytes();
    }
  }

  private static boolean exists(String path) throws IOException {
    MatchResult match = FileSystems.match(path, EmptyMatchTreatment.ALLOW);
    return match.status() == MatchResult.Status.OK && !match.metadata().isEmpty();
  }

  @Override
  public String describe() {
    return prefix;
  }

  /** Matches the files under the prefix and reads each into a {@link LandedFile}. */
  static final class ReadLandingFolder extends PTransform<PBegin, PCollection<LandedFile>> {
    private static final long serialVersionUID = 1L;
    private final String prefix;

    ReadLandingFolder(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public PCollection<LandedFile> expand(PBegin input) {
      return input
          .apply(
              "MatchLandingFiles",
              FileIO.match()
                  .filepattern(prefix + "*")
                  .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
          .apply(
              "OpenLandingFiles",
              FileIO.readMatches()
                  .withDirectoryTreatment(FileIO.ReadMatches.DirectoryTreatment.SKIP))
          .apply("ReadLandingFiles", ParDo.of(new ReadFileFn(prefix)));
    }
  }

  /**
   * Lists the files under the prefix every poll interval, forever; each file is read once, once it
   * has settled ({@link SettledFiles}): a file still being copied in is left for a later poll.
   */
  static final class WatchLandingFolder extends PTransform<PBegin, PCollection<LandedFile>> {
    private static final long serialVersionUID = 1L;
    private final String prefix;
    private final org.joda.time.Duration pollInterval;

    WatchLandingFolder(String prefix, org.joda.time.Duration pollInterval) {
      this.prefix = prefix;
      this.pollInterval = pollInterval;
    }

    @Override
    public PCollection<LandedFile> expand(PBegin input) {
      return input
          .apply("StartWatching", Create.of(prefix))
          .apply(
              "WatchLandingFiles",
              Watch.growthOf(
                      Contextful.of(
                          new PollSettledFiles(SettledFiles.settleMillis(pollInterval.getMillis())),
                          Requirements.empty()),
                      (MatchResult.Metadata file) -> file.resourceId().toString())
                  .withOutputCoder(MetadataCoderV2.of())
                  .withOutputKeyCoder(StringUtf8Coder.of())
                  .withPollInterval(pollInterval)
                  .withTerminationPerInput(Watch.Growth.never()))
          .apply("SettledFiles", Values.create())
          .apply(
              "OpenLandingFiles",
              FileIO.readMatches()
                  .withDirectoryTreatment(FileIO.ReadMatches.DirectoryTreatment.SKIP))
          .apply("ReadLandingFiles", ParDo.of(new ReadFileFn(prefix)));
    }
  }

  /** One poll: the files directly under the prefix that have settled; Watch emits the new ones. */
  static final class PollSettledFiles extends Watch.Growth.PollFn<String, MatchResult.Metadata> {
    private static final long serialVersionUID = 1L;
    private final long settleMillis;

    PollSettledFiles(long settleMillis) {
      this.settleMillis = settleMillis;
    }

    @Override
    public Watch.Growth.PollResult<MatchResult.Metadata> apply(String prefix, Context c)
        throws IOException {
      return Watch.Growth.PollResult.incomplete(org.joda.time.Instant.now(), settled(prefix));
    }

    /** The settled files under the prefix now. */
    List<MatchResult.Metadata> settled(String prefix) throws IOException {
      MatchResult match = list(prefix);
      long now = System.currentTimeMillis();
      List<MatchResult.Metadata> settled = new ArrayList<>();
      for (MatchResult.Metadata file : match.metadata()) {
        if (SettledFiles.hasSettled(file.lastModifiedMillis(), now, settleMillis)) {
          settled.add(file);
        }
      }
      return settled;
    }
  }

  static final class ReadFileFn extends DoFn<FileIO.ReadableFile, LandedFile> {
    private static final long serialVersionUID = 1L;
    private final Counter read = RunMetric.FILES_READ.counter();
    private final String prefix;

    ReadFileFn(String prefix) {
      this.prefix = prefix;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<LandedFile> out)
        throws IOException {
      MatchResult.Metadata metadata = file.getMetadata();
      String name = metadata.resourceId().getFilename();
      if (name == null || !FolderLayout.isLandedName(name)) {
        return;
      }
      byte[] content;
      try (ReadableByteChannel channel = file.open()) {
        content = Channels.newInputStream(channel).readAllBytes();
      }
      read.inc();
      out.output(LandedFile.create(prefix, name, content, lastModifiedMillis(metadata)));
    }

    /**
     * FileIO.match() reshuffles its matches with MetadataCoder, which does not carry the
     * modification time (it arrives as 0), so look it up again for the one file when it is missing.
     */
    private static long lastModifiedMillis(MatchResult.Metadata metadata) throws IOException {
      if (metadata.lastModifiedMillis() > 0) {
        return metadata.lastModifiedMillis();
      }
      return FileSystems.matchSingleFileSpec(metadata.resourceId().toString()).lastModifiedMillis();
    }
  }
}
