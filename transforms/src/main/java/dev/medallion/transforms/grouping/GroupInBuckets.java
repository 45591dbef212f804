package dev.medallion.transforms.grouping;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@link GroupByKey}'s result, grouped a bucket of keys at a time: keys are hashed into a fixed
 * number of buckets, each bucket is one shuffle key, and its values are grouped by their own key in
 * memory.
 *
 * <p>Why: the DirectRunner makes one bundle per shuffle key and pays a fixed cost for each bundle
 * that grows with the size of the pipeline (it walks the pipeline graph), so grouping a million
 * transaction ids made a million bundles and took hours. A few buckets make a few bundles on every
 * runner and spread the work over a cluster's workers just as well. The bucket of a key comes from
 * its encoded bytes, so every worker of a cluster agrees on it.
 *
 * <pre>
 * KV(key, value) -> KV(bucket, KV(key, value)) -> GroupByKey -> per bucket: group by key -> KV(key, values)
 * </pre>
 */
public final class GroupInBuckets<K, V>
    extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, Iterable<V>>>> {
  private static final long serialVersionUID = 1L;
  public static final int DEFAULT_BUCKETS = 16;

  private GroupInBuckets() {}

  /** Buckets as many as the pipeline's {@code --keyBuckets}. */
  public static <K, V> GroupInBuckets<K, V> create() {
    return new GroupInBuckets<>();
  }

  @Override
  public PCollection<KV<K, Iterable<V>>> expand(PCollection<KV<K, V>> input) {
    KvCoder<K, V> coder = (KvCoder<K, V>) input.getCoder();
    int buckets = GroupingOptions.bucketsOf(input.getPipeline().getOptions());
    return input
        .apply("KeyByBucket", ParDo.of(new KeyByBucketFn<K, V>(coder.getKeyCoder(), buckets)))
        .setCoder(KvCoder.of(VarIntCoder.of(), coder))
        .apply("GroupBuckets", GroupByKey.create())
        .apply(
            "GroupEachBucketByKey", ParDo.of(new GroupByKeyInBucketFn<K, V>(coder.getKeyCoder())))
        .setCoder(KvCoder.of(coder.getKeyCoder(), IterableCoder.of(coder.getValueCoder())));
  }

  /** The bucket of a key: the same on every worker, since it hashes the key's encoding. */
  static <K> int bucketOf(Coder<K> keyCoder, K key, int buckets) {
    try {
      return Math.floorMod(Arrays.hashCode(CoderUtils.encodeToByteArray(keyCoder, key)), buckets);
    } catch (org.apache.beam.sdk.coders.CoderException e) {
      throw new IllegalArgumentException("cannot encode the grouping key " + key, e);
    }
  }

  static final class KeyByBucketFn<K, V> extends DoFn<KV<K, V>, KV<Integer, KV<K, V>>> {
    private static final long serialVersionUID = 1L;
    private final Coder<K> keyCoder;
    private final int buckets;

    KeyByBucketFn(Coder<K> keyCoder, int buckets) {
      this.keyCoder = keyCoder;
      this.buckets = buckets;
    }

    @ProcessElement
    public void process(@Element KV<K, V> element, OutputReceiver<KV<Integer, KV<K, V>>> out) {
      out.output(KV.of(bucketOf(keyCoder, element.getKey(), buckets), element));
    }
  }

  static final class GroupByKeyInBucketFn<K, V>
      extends DoFn<KV<Integer, Iterable<KV<K, V>>>, KV<K, Iterable<V>>> {
    private static final long serialVersionUID = 1L;
    private final Coder<K> keyCoder;

    GroupByKeyInBucketFn(Coder<K> keyCoder) {
      this.keyCoder = keyCoder;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<K, V>>> bucket, OutputReceiver<KV<K, Iterable<V>>> out) {
      // Keys compare as GroupByKey compares them: by their encoding (structural value).
      Map<Object, KV<K, List<V>>> groups = new LinkedHashMap<>();
      for (KV<K, V> element : bucket.getValue()) {
        groups
            .computeIfAbsent(
                keyCoder.structuralValue(element.getKey()),
                ignored -> KV.of(element.getKey(), new ArrayList<>()))
            .getValue()
            .add(element.getValue());
      }
      for (KV<K, List<V>> group : groups.values()) {
        out.output(KV.of(group.getKey(), group.getValue()));
      }
    }
  }
}
