package dev.medallion.transforms;

import dev.medallion.testing.TestDatabase;
import dev.medallion.transforms.grouping.GroupingOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.values.PCollection;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;

/**
 * A table read in hash parts returns every row of the query exactly once, whatever the number of
 * parts, and the query's own filter still applies.
 */
public class JdbcStepsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final int ROWS = 1000;

  @BeforeClass
  public static void table() {
    TestDatabase.execute(
        "CREATE TABLE IF NOT EXISTS public.read_parts_test (id text PRIMARY KEY, kept boolean)");
    TestDatabase.execute("TRUNCATE public.read_parts_test");
    // Every third row is filtered out by the query below.
    TestDatabase.execute(
        "INSERT INTO public.read_parts_test SELECT 'row-' || n, n % 3 <> 0"
            + " FROM generate_series(1, "
            + ROWS
            + ") AS n");
  }

  private static List<String> keptIds() {
    List<String> ids = new ArrayList<>();
    for (int n = 1; n <= ROWS; n++) {
      if (n % 3 != 0) {
        ids.add("row-" + n);
      }
    }
    return ids;
  }

  private void readsEveryKeptRowOnce(int parts) {
    pipeline.getOptions().as(GroupingOptions.class).setTableReadParts(parts);
    PCollection<String> ids =
        pipeline.apply(
            JdbcSteps.readAfterInParts(
                "ReadParts",
                TestDatabase.target(),
                "SELECT id FROM public.read_parts_test WHERE kept",
                "id",
                List.of(),
                rs -> rs.getString("id"),
                StringUtf8Coder.of()));
    PAssert.that(ids).containsInAnyOrder(keptIds());
    PAssert.thatSingleton(ids.apply(Count.globally())).isEqualTo((long) keptIds().size());
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void onePartReadsTheWholeQuery() {
    readsEveryKeptRowOnce(1);
  }

  @Test
  public void sevenPartsTogetherReadTheWholeQueryOnce() {
    readsEveryKeptRowOnce(7);
  }
}
