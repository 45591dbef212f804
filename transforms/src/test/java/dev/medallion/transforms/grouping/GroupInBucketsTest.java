package dev.medallion.transforms.grouping;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

/**
 * The bucketed groupings give what GroupByKey, CoGroupByKey and Combine.perKey give, whatever the
 * bucket count: one bucket (every key collides), a few, and more buckets than keys.
 */
@RunWith(Parameterized.class)
public class GroupInBucketsTest {
  @Parameterized.Parameters(name = "{0} bucket(s)")
  public static Object[] buckets() {
    return new Object[] {1, 3, 64};
  }

  private static final TupleTag<Long> LEFT = new TupleTag<>() {};
  private static final TupleTag<Integer> RIGHT = new TupleTag<>() {};
  private final int buckets;

  @Rule public final transient TestPipeline p;

  public GroupInBucketsTest(int buckets) {
    this.buckets = buckets;
    GroupingOptions options = PipelineOptionsFactory.as(GroupingOptions.class);
    options.setKeyBuckets(buckets);
    this.p = TestPipeline.fromOptions(options);
  }

  /** 40 keys "k0".."k39", key i with i % 5 + 1 values: the values 100 * i + j. */
  private static List<KV<String, Long>> input() {
    List<KV<String, Long>> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      for (int j = 0; j <= i % 5; j++) {
        rows.add(KV.of("k" + i, 100L * i + j));
      }
    }
    return rows;
  }

  @Test
  public void groupsEveryKeysValuesOnceAndOnlyThem() {
    PCollection<KV<String, Iterable<Long>>> groups =
        p.apply(Create.of(input()).withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
            .apply(GroupInBuckets.create());
    PAssert.that(
            groups.apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        g -> {
                          List<Long> values = new ArrayList<>();
                          g.getValue().forEach(values::add);
                          values.sort(null);
                          return g.getKey() + "=" + values;
                        })))
        .containsInAnyOrder(expectedGroups());
    p.run();
  }

  /** The groups, written out by a plain loop over the same rule as {@link #input()}. */
  private static List<String> expectedGroups() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      List<Long> values = new ArrayList<>();
      for (int j = 0; j <= i % 5; j++) {
        values.add(100L * i + j);
      }
      expected.add("k" + i + "=" + values);
    }
    return expected;
  }

  @Test
  public void combinesPerKeyLikeCombinePerKey() {
    PCollection<KV<String, Long>> sums =
        p.apply(Create.of(input()).withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
            .apply(CombineInBuckets.perKey(Sum.ofLongs()));
    List<KV<String, Long>> expected = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int n = i % 5 + 1;
      // n values 100i, 100i + 1, ..., 100i + n - 1
      expected.add(KV.of("k" + i, 100L * i * n + (long) n * (n - 1) / 2));
    }
    PAssert.that(sums).containsInAnyOrder(expected);
    p.run();
  }

  @Test
  public void joinsLikeCoGroupByKeyIncludingKeysOnOneSideOnly() {
    TupleTag<Long> left = LEFT;
    TupleTag<Integer> right = RIGHT;
    PCollection<KV<String, Long>> lefts =
        p.apply(
            "Lefts",
            Create.of(KV.of("a", 1L), KV.of("a", 2L), KV.of("b", 3L))
                .withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));
    PCollection<KV<String, Integer>> rights =
        p.apply(
            "Rights",
            Create.of(KV.of("b", 30), KV.of("c", 40))
                .withCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of())));
    PCollection<KV<String, CoGbkResult>> joined =
        KeyedPCollectionTuple.of(left, lefts).and(right, rights).apply(CoGroupInBuckets.create());
    PAssert.that(
            joined.apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        j -> {
                          Map<String, List<Object>> sides = new TreeMap<>();
                          List<Object> l = new ArrayList<>();
                          j.getValue().getAll(left).forEach(l::add);
                          l.sort(null);
                          List<Object> r = new ArrayList<>();
                          j.getValue().getAll(right).forEach(r::add);
                          sides.put("left", l);
                          sides.put("right", r);
                          return j.getKey() + sides;
                        })))
        .containsInAnyOrder(
            "a{left=[1, 2], right=[]}", "b{left=[3], right=[30]}", "c{left=[], right=[40]}");
    p.run();
  }

  @Test
  public void aKeyLandsInTheSameBucketEveryTime() {
    // The bucket comes from the key's encoding, not from a hash that may differ between JVMs.
    int first = GroupInBuckets.bucketOf(StringUtf8Coder.of(), "T000123", buckets);
    assertEquals(
        first, GroupInBuckets.bucketOf(StringUtf8Coder.of(), new String("T000123"), buckets));
    byte[] encoded = {'T', '0', '0', '0', '1', '2', '3'}; // the key's UTF-8 bytes
    assertEquals(Math.floorMod(java.util.Arrays.hashCode(encoded), buckets), first);
    p.run();
  }

  @Test
  public void aBucketCountBelowOneIsRefused() {
    GroupingOptions options = PipelineOptionsFactory.as(GroupingOptions.class);
    options.setKeyBuckets(0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GroupingOptions.bucketsOf(options));
    assertEquals("--keyBuckets must be at least 1, got 0", e.getMessage());
    p.run();
  }
}
