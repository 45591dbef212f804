package dev.medallion.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code medallion migrate}: create or upgrade the schemas without running a pipeline. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description =
        "Create or upgrade the bronze, silver, gold, platinum and ops schemas. Every run does this too; running it twice is harmless.")
final class MigrateCommand implements Callable<Integer> {
  @Mixin DatabaseOptions database;

  @Override
  public Integer call() {
    try (DatabaseOptions.Database db = database.open()) {
      System.out.println("Schemas are up to date at " + db.target);
      return 0;
    }
  }
}
