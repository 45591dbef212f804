package dev.medallion.pipelines;

import dev.medallion.io.files.SettledFiles;
import dev.medallion.io.gdrive.DriveFile;
import dev.medallion.io.gdrive.GoogleDriveIO;
import dev.medallion.ops.FileJobs;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.platform.RunFailure;
import dev.medallion.transforms.inventory.FileKind;
import dev.medallion.transforms.inventory.FileTask;
import dev.medallion.transforms.inventory.InventoryConfig;
import dev.medallion.transforms.inventory.InventoryTables;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.annotation.Nullable;

/**
 * Decides which files of a source (a folder or a Google Drive folder) an inventory run takes, and
 * records each in ops.file_jobs: routed by name through the config's routing table, a file of this
 * pipeline queued for reading, a file no route takes (or Drive cannot give) recorded as skipped
 * with the reason. What a batch run does once before it starts, and what each poll of a continuous
 * run does ({@code onlyNew}: a file some run already looked at in its current version is left
 * alone). Serializable, because a continuous run's polls happen on a worker.
 */
final class InventoryFilePlanner implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The files a plan takes, and the dates they feed as silver stands now. */
  record Planned(List<FileTask> files, Set<LocalDate> dates) {}

  /**
   * A file of the source as the planner sees it, before anything reads it: its name (what the
   * routing table matches), the path ops.file_jobs and silver know it by, its Drive entry when it
   * is in a Drive folder, its version (a local file's size and modification time; a Drive file's id
   * and md5Checksum, or a Sheet's modifiedTime: cheap to tell without reading the file) and its
   * checksum, computed only for a file that is going to be read.
   */
  private record Listed(
      String name,
      String path,
      @Nullable DriveFile drive,
      String version,
      Supplier<String> checksum) {}

  private final String pipeline;
  private final Set<FileKind> kinds;
  @Nullable private final String configFile;
  private final String source;
  @Nullable private final GoogleDriveIO.Zone drive;
  @Nullable private final LocalDate only;
  private final boolean onlyNew;

  /**
   * How long a local file must go unchanged before it is taken ({@link SettledFiles}); 0 in a batch
   * run.
   */
  private final long settleMillis;

  private final boolean recordUnrouted;
  private final JdbcTarget target;
  private final String runId;

  InventoryFilePlanner(
      String pipeline,
      Set<FileKind> kinds,
      @Nullable String configFile,
      String source,
      @Nullable GoogleDriveIO.Zone drive,
      @Nullable LocalDate only,
      boolean onlyNew,
      long settleMillis,
      boolean recordUnrouted,
      JdbcTarget target,
      String runId) {
    this.pipeline = pipeline;
    this.kinds = Set.copyOf(kinds);
    this.configFile = configFile;
    this.source = source;
    this.drive = drive;
    this.only = only;
    this.onlyNew = onlyNew;
    this.settleMillis = settleMillis;
    this.recordUnrouted = recordUnrouted;
    this.target = target;
    this.runId = runId;
  }

  /**
   * Lists the source, records what it takes and returns it. {@code requireOwnFile}: with a business
   * date, fail when the date has no workbook of this pipeline (a backfilled date without its file
   * has nothing to snapshot, so the run does not start and the date stays missing).
   */
  Planned plan(boolean requireOwnFile) {
    InventoryConfig config = InventoryConfig.load(configFile);
    FileJobs jobs = new FileJobs(target);
    List<Listed> files =
        drive != null ? listDrive(jobs) : listFolder(Path.of(source), settleMillis);
    if (requireOwnFile && only != null && !ownFileFor(config, files, only)) {
      throw new RunFailure(
          "no "
              + String.join(
                  " or ",
                  kinds.stream()
                      .filter(k -> k != FileKind.SUPPLIERS)
                      .sorted()
                      .map(FileKind::label)
                      .toList())
              + " workbook for "
              + only
              + " in "
              + source
              + ": nothing to process for that date");
    }
    LocalDate newestSupplier = null;
    if (only != null && kinds.contains(FileKind.SUPPLIERS)) {
      for (Listed f : files) {
        InventoryConfig.Routed r = ours(config, f.name());
        if (r != null
            && r.kind() == FileKind.SUPPLIERS
            && !r.date().isAfter(only)
            && (newestSupplier == null || r.date().isAfter(newestSupplier))) {
          newestSupplier = r.date();
        }
      }
    }
    List<FileTask> tasks = new ArrayList<>();
    Set<LocalDate> dates = new TreeSet<>();
    for (Listed f : files) {
      if (onlyNew && jobs.seen(pipeline, f.path(), f.version())) {
        continue; // this version was read (or skipped, or failed) by an earlier run or poll
      }
      StringBuilder why = new StringBuilder();
      InventoryConfig.Routed r = config.route(f.name(), why).orElse(null);
      String driveId = f.drive() == null ? null : f.drive().id();
      if (r == null) {
        if (recordUnrouted) {
          jobs.add(
              runId,
              pipeline,
              f.path(),
              null,
              null,
              null,
              FileJobs.SKIPPED,
              0,
              why.toString(),
              null,
              driveId,
              f.version());
        }
        continue;
      }
      if (!r.pipeline().equals(pipeline) || !kinds.contains(r.kind())) {
        continue; // another pipeline's file
      }
      if (only != null
          && (r.kind() == FileKind.SUPPLIERS
              ? !r.date().equals(newestSupplier)
              : !r.date().equals(only))) {
        continue; // not for this business date
      }
      long id =
          jobs.add(
              runId,
              pipeline,
              f.path(),
              r.kind().label(),
              r.date(),
              r.store(),
              FileJobs.QUEUED,
              0,
              null,
              f.checksum().get(),
              driveId,
              f.version());
      tasks.add(new FileTask(id, r.kind(), f.path(), r.date(), r.store(), f.drive()));
      dates.addAll(datesFed(target, r.kind(), r.date(), only));
    }
    return new Planned(tasks, dates);
  }

  /** The dates a file feeds as silver stands now ({@link InventoryTables#datesFed}). */
  static List<LocalDate> datesFed(
      JdbcTarget target, FileKind kind, LocalDate fileDate, @Nullable LocalDate only) {
    try {
      return InventoryTables.datesFed(target, kind, fileDate, only);
    } catch (SQLException e) {
      throw new RunFailure("reading " + InventoryTables.STOCK + ": " + e.getMessage());
    }
  }

  /** The route of a file of this pipeline, or null. */
  @Nullable
  private InventoryConfig.Routed ours(InventoryConfig config, String name) {
    InventoryConfig.Routed r = config.route(name, new StringBuilder()).orElse(null);
    return r != null && r.pipeline().equals(pipeline) && kinds.contains(r.kind()) ? r : null;
  }

  /** Whether the source has a workbook of this pipeline dated {@code day} (not a master). */
  private boolean ownFileFor(InventoryConfig config, List<Listed> files, LocalDate day) {
    for (Listed f : files) {
      InventoryConfig.Routed r = ours(config, f.name());
      if (r != null && r.kind() != FileKind.SUPPLIERS && r.date().equals(day)) {
        return true;
      }
    }
    return false;
  }

  /** The settled workbooks directly in a folder (hidden names left out), by name. */
  private static List<Listed> listFolder(Path folder, long settleMillis) {
    long now = System.currentTimeMillis();
    List<Listed> out = new ArrayList<>();
    try (Stream<Path> listed = Files.list(folder)) {
      for (Path p :
          listed.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
        // One read of the attributes: whether the file has settled and its version agree.
        BasicFileAttributes file = attributes(p);
        if (file != null
            && file.isRegularFile()
            && SettledFiles.hasSettled(file.lastModifiedTime().toMillis(), now, settleMillis)) {
          out.add(
              new Listed(
                  p.getFileName().toString(),
                  p.toAbsolutePath().normalize().toString(),
                  null,
                  version(file),
                  () -> checksum(p)));
        }
      }
      return out;
    } catch (IOException e) {
      throw new RunFailure("--source " + folder + " cannot be listed: " + e);
    }
  }

  /**
   * The files of a Drive folder (files.list, every page). Sub-folders, Google Docs and the like
   * (and Sheets when --drive-sheets=skip) are recorded as skipped with Drive's reason; of two files
   * with the same name, the one modified last is read and the other recorded as skipped, since
   * silver and the snapshots know a file by its name.
   */
  private List<Listed> listDrive(FileJobs jobs) {
    List<DriveFile> listed;
    try {
      listed = drive.list();
    } catch (IOException e) {
      throw new RunFailure("--source " + drive.describe() + ": " + e.getMessage());
    }
    Map<String, DriveFile> newest = new TreeMap<>();
    for (DriveFile file : listed) {
      DriveFile other = newest.get(file.landedName());
      if (other == null || !file.modifiedTime().isBefore(other.modifiedTime())) {
        newest.put(file.landedName(), file);
      }
    }
    List<Listed> out = new ArrayList<>();
    for (DriveFile file : listed) {
      String path = drive.prefix() + file.landedName();
      DriveFile winner = newest.get(file.landedName());
      String reason = file.skipReason(drive.sheets()).orElse(null);
      if (reason == null && winner != file) {
        reason =
            "another file named '"
                + file.landedName()
                + "' in the folder (id "
                + winner.id()
                + ") was modified later and is read instead";
      }
      if (reason != null) {
        if (recordUnrouted && (!onlyNew || !jobs.seen(pipeline, path, file.versionKey()))) {
          jobs.add(
              runId,
              pipeline,
              path,
              null,
              null,
              null,
              FileJobs.SKIPPED,
              0,
              file.name() + ": " + reason,
              null,
              file.id(),
              file.versionKey());
        }
        continue;
      }
      out.add(
          new Listed(
              file.landedName(),
              path,
              file,
              file.versionKey(),
              // Drive's md5Checksum of the content; a Sheet has none (its export is made anew)
              file::md5Checksum));
    }
    out.sort(Comparator.comparing(Listed::name));
    return out;
  }

  /** A local file's version: its size and modification time, read without opening it. */
  static String localVersion(Path file) {
    BasicFileAttributes attributes = attributes(file);
    return attributes == null ? "unreadable" : version(attributes);
  }

  private static String version(BasicFileAttributes file) {
    return file.size() + ":" + file.lastModifiedTime().toMillis();
  }

  /** A file's attributes, or null when it is gone or cannot be read. */
  @Nullable
  private static BasicFileAttributes attributes(Path file) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      return null;
    }
  }

  static String checksum(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[65536];
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        md.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
