package dev.medallion.transforms;

import java.io.Serializable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * A plain, serializable accumulator (the heavy logic, tested without Beam) and the CombineFn that
 * runs it: inputs are added, partial results merged, and the accumulator itself is the output.
 */
public interface Accumulator<InputT, AccumT extends Accumulator<InputT, AccumT>>
    extends Serializable {
  AccumT add(InputT input);

  AccumT merge(AccumT other);

  /** A CombineFn over accumulators made by {@code create}, encoded with Java serialization. */
  static <InputT, AccumT extends Accumulator<InputT, AccumT>>
      Combine.CombineFn<InputT, AccumT, AccumT> combineFn(
          SerializableFunction<Void, AccumT> create, Class<AccumT> type) {
    return new Fn<>(create, SerializableCoder.of(type));
  }

  /**
   * A CombineFn over accumulators made by {@code create}, encoded with {@code coder}: for
   * accumulators that hold a row's worth for every input, where Java serialization is slow.
   */
  static <InputT, AccumT extends Accumulator<InputT, AccumT>>
      Combine.CombineFn<InputT, AccumT, AccumT> combineFn(
          SerializableFunction<Void, AccumT> create, Coder<AccumT> coder) {
    return new Fn<>(create, coder);
  }

  /** The CombineFn; see {@link #combineFn}. */
  final class Fn<InputT, AccumT extends Accumulator<InputT, AccumT>>
      extends Combine.CombineFn<InputT, AccumT, AccumT> {
    private static final long serialVersionUID = 1L;
    private final SerializableFunction<Void, AccumT> create;
    private final Coder<AccumT> coder;

    Fn(SerializableFunction<Void, AccumT> create, Coder<AccumT> coder) {
      this.create = create;
      this.coder = coder;
    }

    @Override
    public AccumT createAccumulator() {
      return create.apply(null);
    }

    @Override
    public AccumT addInput(AccumT accumulator, InputT input) {
      return accumulator.add(input);
    }

    @Override
    public AccumT mergeAccumulators(Iterable<AccumT> accumulators) {
      AccumT merged = createAccumulator();
      for (AccumT accumulator : accumulators) {
        merged = merged.merge(accumulator);
      }
      return merged;
    }

    @Override
    public AccumT extractOutput(AccumT accumulator) {
      return accumulator;
    }

    @Override
    public Coder<AccumT> getAccumulatorCoder(CoderRegistry registry, Coder<InputT> inputCoder) {
      return coder;
    }

    @Override
    public Coder<AccumT> getDefaultOutputCoder(CoderRegistry registry, Coder<InputT> inputCoder) {
      return coder;
    }
  }
}
