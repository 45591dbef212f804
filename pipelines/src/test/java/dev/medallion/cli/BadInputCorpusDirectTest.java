package dev.medallion.cli;

/** The bad-input corpus on DirectRunner. */
public class BadInputCorpusDirectTest extends BadInputCorpusTestBase {
  @Override
  protected String profile() {
    return "direct";
  }
}
