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

  /** The pipeline's bucket count, checked. */
  static int bucketsOf(PipelineOptions options) {
    int buckets = options.as(GroupingOptions.class).getKeyBuckets();
    if (buckets < 1) {
      throw new IllegalArgumentException("--keyBuckets must be at least 1, got " + buckets);
    }
    return buckets;
  }
}
