package dev.medallion.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.medallion.ops.Layer;
import dev.medallion.ops.LayerStats;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.Rule;
import org.junit.Test;

/** The typed layer counters, counted in a real pipeline and read back as a run's layer stats. */
public class LayerMetricsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Test
  public void countersIncrementedAnywhereAddUpPerLayerWithTheLayersBusySpan() {
    pipeline
        .apply(Create.of(List.of(1, 2, 3, 4, 5)))
        .apply("CountSilverIn", Counted.in(Layer.SILVER))
        .apply("SetAsideEvens", ParDo.of(new SetAsideEvensFn()))
        .apply("RowsOfATable", Counted.rowsOf("silver.odd_numbers"));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    LayerCounts counts = LayerCounts.of(result);
    LayerStats silver = counts.stats(Layer.SILVER);
    assertEquals(5, silver.in());
    assertEquals(3, silver.out());
    assertEquals(2, silver.quarantined());
    assertEquals(30, silver.bytesRead());
    assertTrue("a busy span was recorded: " + silver, silver.durationMillis() >= 0);
    assertEquals(3, counts.tableRows("silver.odd_numbers"));
    assertEquals(LayerStats.NONE, counts.stats(Layer.GOLD));
  }

  /** Counts inside a DoFn, as most layers do: odd numbers pass, even ones are set aside. */
  static final class SetAsideEvensFn extends DoFn<Integer, Integer> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element Integer n, OutputReceiver<Integer> out) {
      if (n % 2 == 0) {
        LayerMetrics.quarantined(Layer.SILVER).inc();
      } else {
        LayerMetrics.out(Layer.SILVER).inc();
        LayerMetrics.bytesRead(Layer.SILVER).inc(10);
        out.output(n);
      }
    }
  }
}
