package dev.medallion.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One method's result: the median of the timed runs, and the peak heap seen during them; or, for a
 * method stopped at its time limit, no time at all ({@link #finished()} is false).
 */
record Measurement(
    String method, long rows, double seconds, double megabytes, long peakHeapBytes, String note) {

  /** A method that was stopped at its time limit: it has rows to do but no time and no rate. */
  static Measurement didNotFinish(String method, long rows, double megabytes, String note) {
    return new Measurement(method, rows, Double.POSITIVE_INFINITY, megabytes, 0, note);
  }

  boolean finished() {
    return Double.isFinite(seconds);
  }

  double rowsPerSecond() {
    return rows / seconds;
  }

  Measurement withNote(String newNote) {
    return new Measurement(method, rows, seconds, megabytes, peakHeapBytes, newNote);
  }

  double megabytesPerSecond() {
    return megabytes / seconds;
  }

  /** Something to measure: runs once and returns the rows it wrote or read. */
  interface Run {
    long run() throws Exception;
  }

  /**
   * A warm-up run, then the median of {@code repeats} timed runs; {@code before} runs untimed
   * before each.
   */
  static Measurement of(
      String method, double megabytes, int repeats, Run before, Run run, String note)
      throws Exception {
    return of(method, megabytes, repeats, true, before, run, note);
  }

  /** The same, with the warm-up run only when {@code warmUp}. */
  static Measurement of(
      String method,
      double megabytes,
      int repeats,
      boolean warmUp,
      Run before,
      Run run,
      String note)
      throws Exception {
    if (warmUp) {
      before.run();
      run.run();
    }
    List<Double> seconds = new ArrayList<>();
    long rows = 0;
    resetPeaks();
    for (int i = 0; i < repeats; i++) {
      before.run();
      long start = System.nanoTime();
      rows = run.run();
      seconds.add((System.nanoTime() - start) / 1e9);
    }
    Collections.sort(seconds);
    return new Measurement(
        method, rows, seconds.get(seconds.size() / 2), megabytes, peakHeap(), note);
  }

  static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}
