package dev.medallion.transforms.grouping;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@link Combine#perKey} with the keys spread over a few buckets (see {@link GroupInBuckets} for
 * why): one combine per bucket whose accumulator holds each key's own accumulator. Runners that
 * combine before the shuffle (Flink) still do, so only partial results cross it.
 *
 * <pre>
 * KV(key, input) -> KV(bucket, KV(key, input)) -> Combine.perKey(per-key accumulators) -> KV(key, output)
 * </pre>
 */
public final class CombineInBuckets<K, InputT, AccumT, OutputT>
    extends PTransform<PCollection<KV<K, InputT>>, PCollection<KV<K, OutputT>>> {
  private static final long serialVersionUID = 1L;
  private final Combine.CombineFn<InputT, AccumT, OutputT> fn;

  private CombineInBuckets(Combine.CombineFn<InputT, AccumT, OutputT> fn) {
    this.fn = fn;
  }

  public static <K, InputT, AccumT, OutputT> CombineInBuckets<K, InputT, AccumT, OutputT> perKey(
      Combine.CombineFn<InputT, AccumT, OutputT> fn) {
    return new CombineInBuckets<>(fn);
  }

  @Override
  public PCollection<KV<K, OutputT>> expand(PCollection<KV<K, InputT>> input) {
    KvCoder<K, InputT> coder = (KvCoder<K, InputT>) input.getCoder();
    Coder<K> keyCoder = coder.getKeyCoder();
    CoderRegistry registry = input.getPipeline().getCoderRegistry();
    Coder<OutputT> outputCoder;
    try {
      outputCoder = fn.getDefaultOutputCoder(registry, coder.getValueCoder());
    } catch (CannotProvideCoderException e) {
      throw new IllegalStateException("no coder for the output of " + fn, e);
    }
    int buckets = GroupingOptions.bucketsOf(input.getPipeline().getOptions());
    return input
        .apply(
            "KeyByBucket", ParDo.of(new GroupInBuckets.KeyByBucketFn<K, InputT>(keyCoder, buckets)))
        .setCoder(KvCoder.of(VarIntCoder.of(), coder))
        .apply("CombineBuckets", Combine.perKey(new PerKeyFn<>(fn, keyCoder)))
        .apply("EachKey", ParDo.of(new EachKeyFn<K, OutputT>()))
        .setCoder(KvCoder.of(keyCoder, outputCoder));
  }

  /** A bucket's combine: each key's accumulator, by the key's structural value. */
  static final class PerKeyFn<K, InputT, AccumT, OutputT>
      extends Combine.CombineFn<KV<K, InputT>, Map<Object, KV<K, AccumT>>, List<KV<K, OutputT>>> {
    private static final long serialVersionUID = 1L;
    private final Combine.CombineFn<InputT, AccumT, OutputT> fn;
    private final Coder<K> keyCoder;

    PerKeyFn(Combine.CombineFn<InputT, AccumT, OutputT> fn, Coder<K> keyCoder) {
      this.fn = fn;
      this.keyCoder = keyCoder;
    }

    @Override
    public Map<Object, KV<K, AccumT>> createAccumulator() {
      return new LinkedHashMap<>();
    }

    @Override
    public Map<Object, KV<K, AccumT>> addInput(
        Map<Object, KV<K, AccumT>> accumulators, KV<K, InputT> input) {
      Object key = keyCoder.structuralValue(input.getKey());
      KV<K, AccumT> current = accumulators.get(key);
      AccumT accumulator = current == null ? fn.createAccumulator() : current.getValue();
      accumulators.put(key, KV.of(input.getKey(), fn.addInput(accumulator, input.getValue())));
      return accumulators;
    }

    @Override
    public Map<Object, KV<K, AccumT>> mergeAccumulators(
        Iterable<Map<Object, KV<K, AccumT>>> accumulators) {
      Map<Object, List<AccumT>> byKey = new LinkedHashMap<>();
      Map<Object, K> keys = new LinkedHashMap<>();
      for (Map<Object, KV<K, AccumT>> part : accumulators) {
        for (Map.Entry<Object, KV<K, AccumT>> entry : part.entrySet()) {
          keys.putIfAbsent(entry.getKey(), entry.getValue().getKey());
          byKey
              .computeIfAbsent(entry.getKey(), ignored -> new ArrayList<>())
              .add(entry.getValue().getValue());
        }
      }
      Map<Object, KV<K, AccumT>> merged = new LinkedHashMap<>();
      byKey.forEach(
          (key, parts) ->
              merged.put(
                  key,
                  KV.of(
                      keys.get(key),
                      parts.size() == 1 ? parts.get(0) : fn.mergeAccumulators(parts))));
      return merged;
    }

    @Override
    public List<KV<K, OutputT>> extractOutput(Map<Object, KV<K, AccumT>> accumulators) {
      List<KV<K, OutputT>> outputs = new ArrayList<>(accumulators.size());
      for (KV<K, AccumT> entry : accumulators.values()) {
        outputs.add(KV.of(entry.getKey(), fn.extractOutput(entry.getValue())));
      }
      return outputs;
    }

    @Override
    public Coder<Map<Object, KV<K, AccumT>>> getAccumulatorCoder(
        CoderRegistry registry, Coder<KV<K, InputT>> inputCoder)
        throws CannotProvideCoderException {
      @SuppressWarnings("unchecked")
      Coder<InputT> valueCoder = ((KvCoder<K, InputT>) inputCoder).getValueCoder();
      return new AccumulatorsCoder<>(
          keyCoder, KvCoder.of(keyCoder, fn.getAccumulatorCoder(registry, valueCoder)));
    }

    @Override
    public Coder<List<KV<K, OutputT>>> getDefaultOutputCoder(
        CoderRegistry registry, Coder<KV<K, InputT>> inputCoder)
        throws CannotProvideCoderException {
      @SuppressWarnings("unchecked")
      Coder<InputT> valueCoder = ((KvCoder<K, InputT>) inputCoder).getValueCoder();
      return ListCoder.of(KvCoder.of(keyCoder, fn.getDefaultOutputCoder(registry, valueCoder)));
    }
  }

  /** Encodes a bucket's accumulators as a list of (key, accumulator) and rebuilds the map. */
  static final class AccumulatorsCoder<K, AccumT> extends CustomCoder<Map<Object, KV<K, AccumT>>> {
    private static final long serialVersionUID = 1L;
    private final Coder<K> keyCoder;
    private final IterableCoder<KV<K, AccumT>> entries;

    AccumulatorsCoder(Coder<K> keyCoder, KvCoder<K, AccumT> entryCoder) {
      this.keyCoder = keyCoder;
      this.entries = IterableCoder.of(entryCoder);
    }

    @Override
    public void encode(Map<Object, KV<K, AccumT>> value, OutputStream out) throws IOException {
      entries.encode(value.values(), out);
    }

    @Override
    public Map<Object, KV<K, AccumT>> decode(InputStream in) throws IOException {
      Map<Object, KV<K, AccumT>> map = new LinkedHashMap<>();
      for (KV<K, AccumT> entry : entries.decode(in)) {
        map.put(keyCoder.structuralValue(entry.getKey()), entry);
      }
      return map;
    }
  }

  static final class EachKeyFn<K, OutputT>
      extends DoFn<KV<Integer, List<KV<K, OutputT>>>, KV<K, OutputT>> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(
        @Element KV<Integer, List<KV<K, OutputT>>> bucket, OutputReceiver<KV<K, OutputT>> out) {
      bucket.getValue().forEach(out::output);
    }
  }
}
