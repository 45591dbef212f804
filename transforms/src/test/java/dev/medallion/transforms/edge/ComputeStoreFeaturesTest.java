package dev.medallion.transforms.edge;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;

public class ComputeStoreFeaturesTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  // 2024-06-20 is a Thursday; the window is 2024-03-23 .. 2024-06-20.
  private static final LocalDate AS_OF = LocalDate.of(2024, 6, 20);
  private static final LocalDate WINDOW_START = LocalDate.of(2024, 3, 23);

  @Test
  public void oneFeatureRowPerStoreWithDataInTheWindow() throws Exception {
    List<StoreDailySummary> summaries =
        List.of(
            StoreFeatureCalculatorTest.day(
                "s1", LocalDate.of(2024, 3, 22), 50, "500.00"), // asOf - 90: outside
            StoreFeatureCalculatorTest.day("s1", LocalDate.of(2024, 6, 15), 4, "40.00"), // Saturday
            StoreFeatureCalculatorTest.day("s1", LocalDate.of(2024, 6, 17), 6, "66.00"), // Monday
            StoreFeatureCalculatorTest.day(
                "s1", LocalDate.of(2024, 6, 20), 11, "100.01"), // Thursday (asOf)
            StoreFeatureCalculatorTest.day("s2", LocalDate.of(2024, 6, 19), 2, "5.00"), // Wednesday
            StoreFeatureCalculatorTest.day(
                "s3",
                LocalDate.of(2024, 6, 21),
                9,
                "9.00")); // after asOf: s3 has nothing in the window

    PCollection<StoreFeatures> features =
        p.apply(
                Create.of(summaries)
                    .withCoder(p.getSchemaRegistry().getSchemaCoder(StoreDailySummary.class)))
            .apply(ComputeStoreFeatures.asOf(AS_OF));

    PAssert.that(features)
        .containsInAnyOrder(
            // s1: days 06-15 (4), 06-17 (6), 06-20 (11) -> 3 days; mean 21 / 3 = 7.0;
            // deviations -3, -1, 4 -> 9 + 1 + 16 = 26, / 2 = 13 -> stddev sqrt(13);
            // revenue 40.00 + 66.00 + 100.01 = 206.01, / 3 = 68.67 -> 68.6700;
            // ma7 over all 3 days = 7.0; weekday (6 + 11) / 2 = 8.5; weekend 4 / 1 = 4.0.
            StoreFeatures.create(
                "s1",
                AS_OF,
                WINDOW_START,
                3,
                7.0,
                Math.sqrt(13.0),
                new BigDecimal("68.6700"),
                7.0,
                8.5,
                4.0),
            // s2: one Wednesday with 2 -> mean 2.0, no stddev, revenue 5.0000, ma7 2.0, weekday
            // 2.0, no weekend.
            StoreFeatures.create(
                "s2", AS_OF, WINDOW_START, 1, 2.0, null, new BigDecimal("5.0000"), 2.0, 2.0, null));
    p.run().waitUntilFinish();
  }

  @Test
  public void noSummariesNoFeatures() throws Exception {
    PCollection<StoreFeatures> features =
        p.apply(Create.empty(p.getSchemaRegistry().getSchemaCoder(StoreDailySummary.class)))
            .apply(ComputeStoreFeatures.asOf(AS_OF));
    PAssert.that(features).empty();
    p.run().waitUntilFinish();
  }
}
