package dev.medallion.bench;

import dev.medallion.io.files.LandedFile;
import dev.medallion.io.files.ParsedFile;
import dev.medallion.io.files.RecordReaders;
import dev.medallion.transforms.edge.BronzeRecord;
import dev.medallion.transforms.edge.EdgeTransactionParser;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The first link of the edge chain, parsing alone: bytes to validated transactions,
 * single-threaded, in MB/s per core; and the DirectRunner options the write suite runs its Beam
 * sinks on. (The whole chain on each runner, against the program a user would write by hand, is
 * {@link PipelineSuite}.)
 */
final class ChainSuite {
  private final long rows;
  private final long seed;
  private final int repeats;
  private final PrintStream progress;

  ChainSuite(long rows, long seed, int repeats, PrintStream progress) {
    this.rows = rows;
    this.seed = seed;
    this.repeats = repeats;
    this.progress = progress;
  }

  /** Parsing alone: JSON and CSV bytes to validated transactions, single-threaded. */
  List<Measurement> parsing() throws Exception {
    List<Measurement> results = new ArrayList<>();
    for (String kind : List.of("json", "csv")) {
      List<LandedFile> files = new ArrayList<>();
      long bytes = 0;
      for (long f = 0; f < EdgeFiles.fileCount(rows); f++) {
        if (EdgeFiles.name(f).endsWith(kind)) {
          LandedFile file = EdgeFiles.landed(f, rows, seed);
          files.add(file);
          bytes += file.sizeBytes();
        }
      }
      double mb = bytes / 1048576.0;
      progress.printf("  parse: %s ...%n", kind);
      results.add(
          Measurement.of(
              kind.toUpperCase() + " files to validated transactions",
              mb,
              repeats,
              () -> 0,
              () -> parseOnly(files),
              "MB/s on one core"));
    }
    return results;
  }

  static long parseOnly(List<LandedFile> files) throws Exception {
    long parsed = 0;
    for (LandedFile file : files) {
      ParsedFile records = RecordReaders.standard().read(file.name(), file.content());
      for (ParsedFile.Record record : records.records()) {
        EdgeTransactionParser.parse(
            BronzeRecord.create(
                "d",
                file.name(),
                file.path(),
                record.index(),
                record.json(),
                file.sizeBytes(),
                file.checksum(),
                file.landedAtMillis(),
                0L));
        parsed++;
      }
    }
    return parsed;
  }

  /** DirectRunner with its default checks, or without them on 2 threads ({@code enforce} false). */
  static PipelineOptions direct(boolean enforce) {
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    if (!enforce) {
      options.setEnforceImmutability(false);
      options.setEnforceEncodability(false);
      options.setTargetParallelism(2);
    }
    return options;
  }
}
