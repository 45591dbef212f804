package dev.medallion.cli;

/** The same band scenario on the FlinkRunner's embedded cluster ({@code --flinkMaster=[local]}). */
public class BandEndToEndFlinkTest extends BandEndToEndTestBase {
  @Override
  protected String profile() {
    return "flink-local";
  }
}
