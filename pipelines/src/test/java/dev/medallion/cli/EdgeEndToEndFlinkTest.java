package dev.medallion.cli;

/**
 * The same end-to-end scenario on the FlinkRunner's embedded cluster ({@code
 * --flinkMaster=[local]}).
 */
public class EdgeEndToEndFlinkTest extends EdgeEndToEndTestBase {
  @Override
  protected String profile() {
    return "flink-local";
  }
}
