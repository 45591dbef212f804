package dev.medallion.transforms.grouping;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How the grouping steps spread their keys; see {@link GroupInBuckets}. */
public interface GroupingOptions extends PipelineOptions {
  @Description(
      "How many buckets each grouping step (dedupe by id, store-day totals) spreads its keys over."
          + " A bucket is grouped in memory, so more buckets mean less memory per worker; fewer mean"
          + " fewer, larger bundles on the DirectRunner.")
  @Default.Integer(GroupInBuckets.DEFAULT_BUCKETS)
  int getKeyBuckets();

  void setKeyBuckets(int value);

  @Description(
      "How many disjoint reads a layer splits a large table's read into (bronze for silver,"
          + " silver's keys, the silver days gold summarizes): each is one worker's query and, on"
          + " the DirectRunner, one bundle. On Flink more parts spread the reads over the cores; the"
          + " direct profile keeps 1, as every extra bundle reaching a grouping step copies what"
          + " that step already holds.")
  @Default.Integer(4)
  int getTableReadParts();

  void setTableReadParts(int value);

  /** The pipeline's read split count, checked. */
  static int readPartsOf(PipelineOptions options) {
    int parts = options.as(GroupingOptions.class).getTableReadParts();
    if (parts < 1) {
      throw new IllegalArgumentException("--tableReadParts must be at least 1, got " + parts);
    }
    return parts;
  }

  /** The pipeline's bucket count, checked. */
  static int bucketsOf(PipelineOptions options) {
    int buckets = options.as(GroupingOptions.class).getKeyBuckets();
    if (buckets < 1) {
      throw new IllegalArgumentException("--keyBuckets must be at least 1, got " + buckets);
    }
    return buckets;
  }
}
