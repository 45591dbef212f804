package dev.medallion.transforms.snapshot;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * The streaming daily-snapshot aggregator as Beam: elements (one per file, say) keyed by {@link
 * SnapshotKey} (pipeline, business date), in the global window; each key fires a {@link
 * SnapshotPane} early, repeatedly, whichever comes first of {@link FlushPolicy}'s element count,
 * accumulated bytes or processing-time delay, and once more when the input ends with elements not
 * yet fired. Panes accumulate: each carries every element seen so far for its key, so the writer
 * rewrites the whole day's snapshot from one pane and a reader never sees half a day.
 *
 * <pre>
 *   KV(key, element) -> RewindowIntoGlobal -> AccumulateAndFire (state + timers per key)
 *                    -> SnapshotPane(key, index, COUNT | BYTES | TIME | FINAL, all elements so far)
 * </pre>
 *
 * <p><b>Why a stateful DoFn and not a trigger.</b> Count and processing time are Beam triggers
 * ({@code Repeatedly.forever(AfterFirst.of(AfterPane.elementCountAtLeast(n),
 * AfterProcessingTime.pastFirstElementInPane().plusDelayOf(d))))} with {@code
 * accumulatingFiredPanes()}), but no trigger sees an element's size, so bytes cannot join them.
 * Weighting elements instead (emitting filler elements so that {@code elementCountAtLeast} fires
 * after so many bytes) needs to know how many elements the current pane already holds, which a
 * processing-time firing resets behind the filler's back, and the fillers would then reach the
 * snapshot. Keyed state and timers express all three rules exactly, in one place: a bag of the
 * key's elements (never cleared, hence accumulating), counters of what arrived since the last
 * firing, a processing-time timer armed by the first new element, and an event-time timer at the
 * end of the global window for the final pane. Both runners the project uses run this unchanged:
 * the DirectRunner and the Flink runner support bag/value state and event- and processing-time
 * timers in batch and streaming. (In tests, TestStream advances processing time on the DirectRunner
 * only; the Flink runner refuses {@code advanceProcessingTime}, so the Flink test checks the count,
 * bytes and final firings.)
 *
 * <p><b>Late files.</b> Every date is its own key in the global window, whose end is the end of
 * time: nothing is ever dropped as late, so a file for an earlier date that arrives days later goes
 * to that date's key and re-fires it with everything that date had (what a daily window with
 * unbounded allowed lateness would do, without choosing a lateness that drops a file). The price is
 * that a key's state lives as long as the job; a pane holds a day's elements, so keep elements
 * small (file summaries or row batches, not whole workbooks).
 */
public final class DailySnapshots<T>
    extends PTransform<PCollection<KV<SnapshotKey, T>>, PCollection<SnapshotPane<T>>> {
  private static final long serialVersionUID = 1L;

  private final SerializableFunction<T, Long> sizeOf;
  private final FlushPolicy policy;

  private DailySnapshots(SerializableFunction<T, Long> sizeOf, FlushPolicy policy) {
    this.sizeOf = sizeOf;
    this.policy = policy;
  }

  /** Aggregates elements whose size in bytes {@code sizeOf} gives, with the default policy. */
  public static <T> DailySnapshots<T> sizedBy(SerializableFunction<T, Long> sizeOf) {
    if (sizeOf == null) {
      throw new IllegalArgumentException("sizedBy() needs a function giving an element's bytes");
    }
    return new DailySnapshots<>(sizeOf, FlushPolicy.defaults());
  }

  public DailySnapshots<T> withPolicy(FlushPolicy policy) {
    if (policy == null) {
      throw new IllegalArgumentException(
          "withPolicy() needs a policy, e.g. FlushPolicy.defaults()");
    }
    return new DailySnapshots<>(sizeOf, policy);
  }

  @Override
  public PCollection<SnapshotPane<T>> expand(PCollection<KV<SnapshotKey, T>> input) {
    if (!(input.getCoder() instanceof KvCoder<?, ?> kv)) {
      throw new IllegalArgumentException(
          "DailySnapshots needs KV<SnapshotKey, T> input with a KvCoder, got " + input.getCoder());
    }
    @SuppressWarnings("unchecked")
    Coder<T> elementCoder = (Coder<T>) kv.getValueCoder();
    return input
        .apply("RewindowIntoGlobal", Window.<KV<SnapshotKey, T>>into(new GlobalWindows()))
        .setCoder(KvCoder.of(SnapshotKey.Coder.of(), elementCoder))
        .apply("AccumulateAndFire", ParDo.of(new AccumulateFn<>(elementCoder, sizeOf, policy)))
        .setCoder(SnapshotPane.coder(elementCoder));
  }

  /** The per-key state machine; see the class comment. */
  static final class AccumulateFn<T> extends DoFn<KV<SnapshotKey, T>, SnapshotPane<T>> {
    private static final long serialVersionUID = 1L;

    private final SerializableFunction<T, Long> sizeOf;
    private final int maxElements;
    private final long maxBytes;
    private final Duration maxDelay;

    @StateId("key")
    private final StateSpec<ValueState<SnapshotKey>> keySpec =
        StateSpecs.value(SnapshotKey.Coder.of());

    @StateId("elements")
    private final StateSpec<BagState<T>> elementsSpec;

    @StateId("totalBytes")
    private final StateSpec<ValueState<Long>> totalBytesSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("newElements")
    private final StateSpec<ValueState<Long>> newElementsSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("newBytes")
    private final StateSpec<ValueState<Long>> newBytesSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("panes")
    private final StateSpec<ValueState<Long>> panesSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("delay")
    private final TimerSpec delaySpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    @TimerId("end")
    private final TimerSpec endSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    AccumulateFn(Coder<T> elementCoder, SerializableFunction<T, Long> sizeOf, FlushPolicy policy) {
      this.elementsSpec = StateSpecs.bag(elementCoder);
      this.sizeOf = sizeOf;
      this.maxElements = policy.maxElements();
      this.maxBytes = policy.maxBytes();
      this.maxDelay = Duration.millis(policy.maxDelay().toMillis());
    }

    @ProcessElement
    public void process(
        @Element KV<SnapshotKey, T> element,
        @StateId("key") ValueState<SnapshotKey> key,
        @StateId("elements") BagState<T> elements,
        @StateId("totalBytes") ValueState<Long> totalBytes,
        @StateId("newElements") ValueState<Long> newElements,
        @StateId("newBytes") ValueState<Long> newBytes,
        @StateId("panes") ValueState<Long> panes,
        @TimerId("delay") Timer delay,
        @TimerId("end") Timer end,
        OutputReceiver<SnapshotPane<T>> out) {
      Long measured = sizeOf.apply(element.getValue());
      long size = measured == null ? 0 : Math.max(0, measured);
      key.write(element.getKey());
      elements.add(element.getValue());
      totalBytes.write(orZero(totalBytes.read()) + size);
      long pendingElements = orZero(newElements.read()) + 1;
      long pendingBytes = orZero(newBytes.read()) + size;
      newElements.write(pendingElements);
      newBytes.write(pendingBytes);
      end.set(GlobalWindow.INSTANCE.maxTimestamp());
      if (pendingElements >= maxElements) {
        fire(
            SnapshotPane.Firing.COUNT,
            key,
            elements,
            totalBytes,
            newElements,
            newBytes,
            panes,
            out);
        delay.clear();
      } else if (pendingBytes >= maxBytes) {
        fire(
            SnapshotPane.Firing.BYTES,
            key,
            elements,
            totalBytes,
            newElements,
            newBytes,
            panes,
            out);
        delay.clear();
      } else if (pendingElements == 1) {
        // the first element not yet in a snapshot starts the clock, as
        // AfterProcessingTime.pastFirstElementInPane() does
        delay.offset(maxDelay).setRelative();
      }
    }

    @OnTimer("delay")
    public void onDelay(
        @StateId("key") ValueState<SnapshotKey> key,
        @StateId("elements") BagState<T> elements,
        @StateId("totalBytes") ValueState<Long> totalBytes,
        @StateId("newElements") ValueState<Long> newElements,
        @StateId("newBytes") ValueState<Long> newBytes,
        @StateId("panes") ValueState<Long> panes,
        OutputReceiver<SnapshotPane<T>> out) {
      if (orZero(newElements.read()) > 0) {
        fire(
            SnapshotPane.Firing.TIME, key, elements, totalBytes, newElements, newBytes, panes, out);
      }
    }

    @OnTimer("end")
    public void onEnd(
        @StateId("key") ValueState<SnapshotKey> key,
        @StateId("elements") BagState<T> elements,
        @StateId("totalBytes") ValueState<Long> totalBytes,
        @StateId("newElements") ValueState<Long> newElements,
        @StateId("newBytes") ValueState<Long> newBytes,
        @StateId("panes") ValueState<Long> panes,
        OutputReceiver<SnapshotPane<T>> out) {
      if (orZero(newElements.read()) > 0) {
        fire(
            SnapshotPane.Firing.FINAL,
            key,
            elements,
            totalBytes,
            newElements,
            newBytes,
            panes,
            out);
      }
    }

    private static <T> void fire(
        SnapshotPane.Firing firing,
        ValueState<SnapshotKey> key,
        BagState<T> elements,
        ValueState<Long> totalBytes,
        ValueState<Long> newElements,
        ValueState<Long> newBytes,
        ValueState<Long> panes,
        OutputReceiver<SnapshotPane<T>> out) {
      List<T> all = new ArrayList<>();
      elements.read().forEach(all::add);
      long index = orZero(panes.read());
      out.output(new SnapshotPane<>(key.read(), index, firing, all, orZero(totalBytes.read())));
      panes.write(index + 1);
      newElements.write(0L);
      newBytes.write(0L);
    }

    private static long orZero(Long value) {
      return value == null ? 0 : value;
    }
  }
}
