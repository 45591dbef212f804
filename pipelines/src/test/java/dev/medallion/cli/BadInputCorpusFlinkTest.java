package dev.medallion.cli;

/** The bad-input corpus on the FlinkRunner's embedded cluster ({@code --flinkMaster=[local]}). */
public class BadInputCorpusFlinkTest extends BadInputCorpusTestBase {
  @Override
  protected String profile() {
    return "flink-local";
  }
}
