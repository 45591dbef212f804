package dev.medallion.cli;

/** The band end-to-end scenario on DirectRunner. */
public class BandEndToEndDirectTest extends BandEndToEndTestBase {
  @Override
  protected String profile() {
    return "direct";
  }
}
