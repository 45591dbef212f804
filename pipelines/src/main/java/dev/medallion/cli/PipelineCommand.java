package dev.medallion.cli;

import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.pipelines.MedallionOptions;
import dev.medallion.platform.JobRunner;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.RunRequest;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.Validation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code medallion run NAME} for any registered pipeline: the common flags ({@link RunFlags}, the
 * database, and {@link ContinuousFlags} where the pipeline supports them) plus one flag per getter
 * of the pipeline's own options interface, named and described from it ({@code getElgooseBaseUrl}
 * with its {@code @Description} becomes {@code --elgoose-base-url}), so help is written once.
 */
@Command(
    mixinStandardHelpOptions = true,
    footer = {
      "",
      "Exit codes: 0 success (quarantined records included), 1 the run failed, 2 bad usage."
    })
final class PipelineCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DatabaseOptions database;
  @Mixin RunFlags flags;
  @Unmatched List<String> beamArgs = new ArrayList<>();

  private final PipelineDefinition<?> definition;
  private final ContinuousFlags continuous = new ContinuousFlags();
  private final List<OwnFlag> ownFlags = new ArrayList<>();

  /** One of the pipeline's own flags and the options property it sets. */
  private record OwnFlag(OptionSpec option, String property) {}

  private PipelineCommand(PipelineDefinition<?> definition) {
    this.definition = definition;
  }

  static CommandLine commandLine(PipelineDefinition<?> definition) {
    PipelineCommand command = new PipelineCommand(definition);
    CommandLine commandLine = new CommandLine(command);
    CommandSpec spec = commandLine.getCommandSpec();
    spec.name(definition.name());
    spec.usageMessage()
        .description(
            definition.description(),
            "Layers: "
                + String.join(
                    ", ",
                    definition.layers().stream()
                        .map(l -> l.layer().label() + " (" + String.join(", ", l.tables()) + ")")
                        .toList())
                + ". Schedule: "
                + definition.schedule()
                + ".",
            "Any other --name=value option is passed to Beam (e.g. --runner, --flinkMaster, --parallelism) and wins over the profile.");
    if (definition.supportsContinuous()) {
      spec.addMixin("continuous", CommandSpec.forAnnotatedObject(command.continuous));
    }
    for (Method getter : ownGetters(definition.optionsType())) {
      OwnFlag flag = flag(getter);
      spec.addOption(flag.option());
      command.ownFlags.add(flag);
    }
    return commandLine;
  }

  @Override
  public Integer call() {
    PrintStream out = new PrintStream(System.out, true);
    RunRequest request =
        new RunRequest(
            flags.layers,
            flags.mode,
            flags.asOf,
            flags.profile,
            continuous.continuous,
            continuous.pollInterval,
            pipelineArgs(),
            beamArgs);
    JobRunner.Plan<?> plan = JobRunner.plan(definition, request);
    if (flags.dryRun) {
      out.println(plan.describe());
      return 0;
    }
    try (DatabaseOptions.Database db = database.open()) {
      JobRunner runner = new JobRunner(db.target, out, HttpClientConfiguration.create());
      return (flags.noWait ? runner.withoutWaitingForOtherRuns() : runner).run(plan).succeeded()
          ? 0
          : 1;
    }
  }

  /** The pipeline's own flags the user gave, as Beam arguments. */
  private List<String> pipelineArgs() {
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    List<String> args = new ArrayList<>();
    for (OwnFlag flag : ownFlags) {
      if (parsed.hasMatchedOption(flag.option())) {
        args.add("--" + flag.property() + "=" + flag.option().getValue());
      }
    }
    return args;
  }

  /**
   * The getters the options interface declares itself or inherits from a shared interface other
   * than MedallionOptions (e.g. LandingOptions; the common ones are flags already), in name order.
   */
  static List<Method> ownGetters(Class<? extends MedallionOptions> type) {
    List<Method> getters = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    java.util.Deque<Class<?>> interfaces = new java.util.ArrayDeque<>(List.of(type));
    while (!interfaces.isEmpty()) {
      Class<?> declaring = interfaces.poll();
      if (declaring.isAssignableFrom(MedallionOptions.class)) {
        continue;
      }
      for (Method method : declaring.getDeclaredMethods()) {
        boolean getter =
            method.getParameterCount() == 0
                && (method.getName().startsWith("get") || method.getName().startsWith("is"));
        if (getter
            && !Modifier.isStatic(method.getModifiers())
            && !method.isDefault()
            && method.getAnnotation(Hidden.class) == null
            && seen.add(method.getName())) {
          getters.add(method);
        }
      }
      interfaces.addAll(List.of(declaring.getInterfaces()));
    }
    getters.sort(Comparator.comparing(Method::getName));
    return getters;
  }

  private static OwnFlag flag(Method getter) {
    String property = property(getter);
    String name = "--" + property.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    Description description = getter.getAnnotation(Description.class);
    String text = description == null ? property : description.value();
    String defaultValue = defaultValue(getter);
    Class<?> type = getter.getReturnType();
    OptionSpec.Builder option =
        OptionSpec.builder(name)
            .type(type)
            .required(getter.getAnnotation(Validation.Required.class) != null);
    if (type == boolean.class || type == Boolean.class) {
      option
          .arity("0")
          .negatable(true)
          // Picocli toggles a negatable flag's default: with a default of true, --no-x would mean
          // true. Unmatched flags are not passed on (Beam's default applies), so false is right.
          .defaultValue("false")
          .description(text + (defaultValue == null ? "" : " Default: " + defaultValue + "."));
    } else {
      option
          .paramLabel("<" + property + ">")
          .description(text + (defaultValue == null ? "" : " Default: " + defaultValue + "."));
    }
    return new OwnFlag(option.build(), property);
  }

  private static String property(Method getter) {
    String name =
        getter.getName().startsWith("is")
            ? getter.getName().substring(2)
            : getter.getName().substring(3);
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  private static String defaultValue(Method getter) {
    if (getter.getAnnotation(Default.String.class) != null) {
      return getter.getAnnotation(Default.String.class).value();
    }
    if (getter.getAnnotation(Default.Boolean.class) != null) {
      return Boolean.toString(getter.getAnnotation(Default.Boolean.class).value());
    }
    if (getter.getAnnotation(Default.Integer.class) != null) {
      return Integer.toString(getter.getAnnotation(Default.Integer.class).value());
    }
    if (getter.getAnnotation(Default.Long.class) != null) {
      return Long.toString(getter.getAnnotation(Default.Long.class).value());
    }
    if (getter.getAnnotation(Default.Enum.class) != null) {
      return getter.getAnnotation(Default.Enum.class).value().toLowerCase(Locale.ROOT);
    }
    return null;
  }
}
