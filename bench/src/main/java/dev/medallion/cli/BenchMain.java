package dev.medallion.cli;

/**
 * The bench's entry point: the {@code medallion} command line with {@link BenchCommand} added, so
 * {@code ./medallion bench ...} parses, reports errors and prints help exactly like the product's
 * commands. The launcher runs it with the product jar and the bench jar on the class path.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    System.exit(MedallionCli.commandLine().addSubcommand(new BenchCommand()).execute(args));
  }
}
