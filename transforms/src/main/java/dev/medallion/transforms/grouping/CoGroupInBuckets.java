package dev.medallion.transforms.grouping;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGbkResultSchema;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.transforms.join.UnionCoder;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * {@link CoGroupByKey}'s result (one {@link CoGbkResult} per key), grouped through {@link
 * GroupInBuckets}, so a join over a million ids makes a handful of bundles, not a million.
 *
 * <pre>
 * each input KV(key, value) -> KV(key, tagged value) -> Flatten -> GroupInBuckets -> KV(key, CoGbkResult)
 * </pre>
 */
public final class CoGroupInBuckets<K>
    extends PTransform<KeyedPCollectionTuple<K>, PCollection<KV<K, CoGbkResult>>> {
  private static final long serialVersionUID = 1L;

  private CoGroupInBuckets() {}

  public static <K> CoGroupInBuckets<K> create() {
    return new CoGroupInBuckets<>();
  }

  @Override
  public PCollection<KV<K, CoGbkResult>> expand(KeyedPCollectionTuple<K> input) {
    List<Coder<?>> valueCoders = new ArrayList<>();
    for (KeyedPCollectionTuple.TaggedKeyedPCollection<K, ?> tagged : input.getKeyedCollections()) {
      valueCoders.add(
          ((KvCoder<?, ?>) (Coder<?>) tagged.getCollection().getCoder()).getValueCoder());
    }
    UnionCoder unionCoder = UnionCoder.of(valueCoders);
    Coder<K> keyCoder = input.getKeyCoder();
    PCollectionList<KV<K, RawUnionValue>> tagged = PCollectionList.empty(input.getPipeline());
    int index = 0;
    for (KeyedPCollectionTuple.TaggedKeyedPCollection<K, ?> collection :
        input.getKeyedCollections()) {
      tagged =
          tagged.and(
              tag(collection.getCollection(), index).setCoder(KvCoder.of(keyCoder, unionCoder)));
      index++;
    }
    CoGbkResultSchema schema = input.getCoGbkResultSchema();
    return tagged
        .apply("AllInputs", Flatten.pCollections())
        .apply("GroupInBuckets", GroupInBuckets.create())
        .apply("ToCoGbkResult", ParDo.of(new ToResultFn<K>(schema)))
        .setCoder(KvCoder.of(keyCoder, CoGbkResult.CoGbkResultCoder.of(schema, unionCoder)));
  }

  private static <K, V> PCollection<KV<K, RawUnionValue>> tag(
      PCollection<KV<K, V>> collection, int index) {
    return collection.apply("Tag" + index, ParDo.of(new TagFn<K, V>(index)));
  }

  static final class TagFn<K, V> extends DoFn<KV<K, V>, KV<K, RawUnionValue>> {
    private static final long serialVersionUID = 1L;
    private final int index;

    TagFn(int index) {
      this.index = index;
    }

    @ProcessElement
    public void process(@Element KV<K, V> element, OutputReceiver<KV<K, RawUnionValue>> out) {
      out.output(KV.of(element.getKey(), new RawUnionValue(index, element.getValue())));
    }
  }

  static final class ToResultFn<K>
      extends DoFn<KV<K, Iterable<RawUnionValue>>, KV<K, CoGbkResult>> {
    private static final long serialVersionUID = 1L;
    private final CoGbkResultSchema schema;

    ToResultFn(CoGbkResultSchema schema) {
      this.schema = schema;
    }

    @ProcessElement
    public void process(
        @Element KV<K, Iterable<RawUnionValue>> group, OutputReceiver<KV<K, CoGbkResult>> out) {
      out.output(KV.of(group.getKey(), new CoGbkResult(schema, group.getValue())));
    }
  }
}
