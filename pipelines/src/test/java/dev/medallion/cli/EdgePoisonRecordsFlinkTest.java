package dev.medallion.cli;

/** {@link EdgePoisonRecordsTest} on Flink (flink-local): the halving of refused batches too. */
public class EdgePoisonRecordsFlinkTest extends EdgePoisonRecordsTest {
  @Override
  protected String profile() {
    return "flink-local";
  }
}
