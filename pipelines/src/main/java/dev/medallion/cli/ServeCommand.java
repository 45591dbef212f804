package dev.medallion.cli;

import dev.medallion.ops.quality.QuarantineQuality;
import dev.medallion.platform.PipelineRegistry;
import dev.medallion.platform.RunnerProfiles;
import dev.medallion.service.OpsService;
import dev.medallion.service.RunLauncher;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code medallion serve}: the operations service (REST API and dashboard) on the embedded
 * PostgreSQL or --jdbc-url, until stopped.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the operations API (/api/v1/etl/...) and the dashboard (/) over the run history, and start"
          + " triggered runs through the same runner as `medallion run`.",
      "Writes need Authorization: Bearer TOKEN with a token from MEDALLION_API_TOKENS (comma-separated);"
          + " reads are open from this machine and need a token from others."
    })
final class ServeCommand implements Callable<Integer> {
  @Mixin DatabaseOptions database;

  @Option(
      names = "--port",
      defaultValue = "8004",
      description = "Port to listen on; 0 takes a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface).")
  String host;

  @Option(
      names = "--profile",
      defaultValue = RunnerProfiles.DEFAULT,
      description = "Runner profile of triggered runs (default: ${DEFAULT-VALUE}).")
  String profile;

  @Option(
      names = "--pipeline-arg",
      paramLabel = "NAME=--flag=value",
      description =
          "A flag every triggered run of pipeline NAME gets, e.g. edge=--source=/data/landing; repeat it for more.")
  List<String> pipelineArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    PipelineRegistry registry = PipelineRegistry.load();
    Map<String, List<String>> args = new LinkedHashMap<>();
    for (String arg : pipelineArgs) {
      int eq = arg.indexOf('=');
      String name = eq < 0 ? "" : arg.substring(0, eq);
      if (eq < 0 || registry.find(name).isEmpty() || !arg.substring(eq + 1).startsWith("--")) {
        throw CliException.usage(
            "--pipeline-arg '"
                + arg
                + "': use NAME=--flag=value with NAME one of "
                + String.join(", ", registry.all().stream().map(d -> d.name()).toList()),
            null);
      }
      args.computeIfAbsent(name, n -> new ArrayList<>()).add(arg.substring(eq + 1));
    }
    List<String> tokens = dev.medallion.service.Tokens.fromEnvironment();
    DatabaseOptions.Database db = database.open();
    OpsService service =
        new OpsService(
            db.target,
            new RunLauncher(db.target, registry, args, profile, out, Clock.systemUTC()),
            tokens,
            new QuarantineQuality(db.target),
            Clock.systemUTC());
    // Ctrl-C: the hook wakes this thread, which stops the service and the database, and waits
    // for that before the JVM goes on exiting.
    CountDownLatch stopping = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping.countDown();
                  try {
                    closed.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "serve-stop"));
    try {
      service.start(host, port);
      out.println(
          (db.isEmbedded() ? "Embedded PostgreSQL: " : "PostgreSQL: ")
              + db.target
              + (db.isEmbedded() ? " (data in " + database.dataDir.resolve("pgdata") + ")" : ""));
      String address =
          "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + service.port();
      out.println(
          "Medallion service at " + address + "/ (dashboard) and " + address + "/api/v1/etl/");
      out.println(
          tokens.isEmpty()
              ? "No MEDALLION_API_TOKENS set: reads work from this machine, writes (triggers) are refused."
              : "Writes need a bearer token in the Authorization header ("
                  + tokens.size()
                  + " token(s) from MEDALLION_API_TOKENS).");
      out.println("Stop with Ctrl-C.");
      out.flush();
      stopping.await();
    } finally {
      service.close();
      db.close();
      closed.countDown();
    }
    return 0;
  }
}
