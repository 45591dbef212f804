package dev.medallion.ops;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.medallion.testing.TestDatabase;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.Before;
import org.junit.Test;

/** The per-pipeline run lock against a real PostgreSQL: held, refused, waited for, released. */
public class PipelineLockTest {
  @Before
  public void clean() {
    TestDatabase.truncate("ops.pipeline_runs");
  }

  @Test
  public void aSecondTakerIsRefusedOrWaitsAndAnotherPipelineIsFree() throws Exception {
    new RunRecorder(TestDatabase.target())
        .started("p-1", "p", Mode.INCREMENTAL, EnumSet.of(Layer.BRONZE), "DirectRunner", false);
    List<String> said = new ArrayList<>();
    try (PipelineLock first = PipelineLock.acquire(TestDatabase.target(), "p", false, said::add)) {
      assertTrue(first.held());
      PipelineLock.Busy busy =
          assertThrows(
              PipelineLock.Busy.class,
              () -> PipelineLock.acquire(TestDatabase.target(), "p", false, said::add));
      assertThat(busy.getMessage(), containsString("run p-1 (process "));
      try (PipelineLock other =
          PipelineLock.acquire(TestDatabase.target(), "q", false, said::add)) {
        assertTrue("another pipeline's lock is its own", other.held());
      }
      CompletableFuture<PipelineLock> waiting =
          CompletableFuture.supplyAsync(
              () -> PipelineLock.acquire(TestDatabase.target(), "p", true, said::add));
      assertThrows(
          java.util.concurrent.TimeoutException.class, () -> waiting.get(2, TimeUnit.SECONDS));
      first.close();
      assertFalse(first.held());
      try (PipelineLock second = waiting.get(30, TimeUnit.SECONDS)) {
        assertTrue(second.held());
      }
    }
    assertEquals(1, said.size());
    assertThat(said.get(0), containsString("Waiting for run p-1 (process "));
  }
}
