package dev.medallion.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * The medallion.jar commands in GitHub workflow files, with shell line continuations joined, {@code
 * ${{ }}} expressions and {@code $VARIABLES} replaced by the values a run would see (an input's
 * default, the value after {@code ||}, a placeholder for a secret or variable), and the line split
 * into words as bash would.
 */
final class WorkflowCommands {
  /** One command: where it is (file, job, step), the jar it runs and the CLI arguments. */
  record Command(String where, String jar, List<String> args) {}

  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{(.*?)}}");
  private static final Pattern JAR =
      Pattern.compile("\\bjava\\b.*?-jar\\s+(\\S*medallion\\.jar)(.*)");

  private WorkflowCommands() {}

  /** .github/workflows of the repository this test runs in. */
  static Path workflowFolder() {
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(".github/workflows"))) {
        return dir.resolve(".github/workflows");
      }
    }
    throw new IllegalStateException("No .github/workflows above " + Paths.get("").toAbsolutePath());
  }

  static List<Command> all(Path folder) throws IOException {
    List<Command> commands = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file :
          files
              .filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
              .sorted()
              .toList()) {
        commands.addAll(in(file));
      }
    }
    return commands;
  }

  @SuppressWarnings("unchecked")
  static List<Command> in(Path file) throws IOException {
    Map<String, Object> workflow = load(file);
    Map<String, Object> inputs = new HashMap<>();
    Map<String, Object> triggers = triggers(workflow);
    for (String trigger : List.of("workflow_call", "workflow_dispatch")) {
      if (triggers.get(trigger) instanceof Map<?, ?> t
          && t.get("inputs") instanceof Map<?, ?> declared) {
        inputs.putAll((Map<String, Object>) declared);
      }
    }
    List<Command> commands = new ArrayList<>();
    Map<String, Object> jobs = (Map<String, Object>) workflow.getOrDefault("jobs", Map.of());
    for (Map.Entry<String, Object> job : jobs.entrySet()) {
      Map<String, Object> jobBody = (Map<String, Object>) job.getValue();
      List<Map<String, Object>> steps =
          (List<Map<String, Object>>) jobBody.getOrDefault("steps", List.of());
      for (int i = 0; i < steps.size(); i++) {
        Map<String, Object> step = steps.get(i);
        if (!(step.get("run") instanceof String script)) {
          continue;
        }
        Map<String, Object> env = new HashMap<>();
        env.putAll((Map<String, Object>) workflow.getOrDefault("env", Map.of()));
        env.putAll((Map<String, Object>) jobBody.getOrDefault("env", Map.of()));
        env.putAll((Map<String, Object>) step.getOrDefault("env", Map.of()));
        String where =
            file.getFileName()
                + " job "
                + job.getKey()
                + " step "
                + step.getOrDefault("name", "#" + (i + 1));
        Scope scope = new Scope(where, inputs, env);
        for (String line : script.replace("\\\r\n", " ").replace("\\\n", " ").split("\n")) {
          Matcher jar = JAR.matcher(line);
          if (jar.find()) {
            commands.add(
                new Command(where, jar.group(1), words(scope.expressions(jar.group(2)), scope)));
          }
        }
      }
    }
    return commands;
  }

  @SuppressWarnings("unchecked")
  static List<String> crons(Path file) throws IOException {
    List<String> crons = new ArrayList<>();
    for (Object entry : (List<Object>) triggers(load(file)).getOrDefault("schedule", List.of())) {
      crons.add(String.valueOf(((Map<String, Object>) entry).get("cron")));
    }
    return crons;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> dispatchInputs(Path file) throws IOException {
    Map<String, Object> dispatch =
        (Map<String, Object>) triggers(load(file)).get("workflow_dispatch");
    return (Map<String, Object>) dispatch.get("inputs");
  }

  private static Map<String, Object> load(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file)) {
      Map<String, Object> workflow = new Yaml().load(in);
      if (workflow == null) {
        throw new IllegalStateException(file + " is empty");
      }
      return workflow;
    }
  }

  /** The {@code on:} block; YAML 1.1 reads the bare key {@code on} as the boolean true. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> triggers(Map<String, Object> workflow) {
    Object on =
        workflow.containsKey("on")
            ? workflow.get("on")
            : ((Map<Object, Object>) (Map<?, ?>) workflow).get(Boolean.TRUE);
    return on instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  /** What a step can see: the workflow's inputs and the environment. */
  private record Scope(String where, Map<String, Object> inputs, Map<String, Object> env) {
    String expressions(String text) {
      Matcher m = EXPRESSION.matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(out, Matcher.quoteReplacement(evaluate(m.group(1).strip())));
      }
      m.appendTail(out);
      return out.toString();
    }

    private String evaluate(String expression) {
      Matcher fallback = Pattern.compile(".*\\|\\|\\s*'([^']*)'\\s*$").matcher(expression);
      if (fallback.matches()) {
        return fallback.group(1);
      }
      if (expression.startsWith("inputs.")) {
        String name = expression.substring("inputs.".length());
        if (inputs.get(name) instanceof Map<?, ?> input && input.get("default") != null) {
          return String.valueOf(input.get("default"));
        }
        throw new AssertionError(
            where
                + ": input '"
                + name
                + "' has no default; give it one so a scheduled run has a value");
      }
      if (expression.startsWith("secrets.") || expression.startsWith("vars.")) {
        return "placeholder-" + expression.substring(expression.indexOf('.') + 1);
      }
      throw new AssertionError(
          where
              + ": cannot evaluate ${{ "
              + expression
              + " }}; add a fallback (|| 'value') or use an input");
    }

    String variable(String name) {
      if (!env.containsKey(name)) {
        throw new AssertionError(
            where + ": $" + name + " is not set in the step's, job's or workflow's env");
      }
      return expressions(String.valueOf(env.get(name)));
    }
  }

  /**
   * Splits a line into words as bash does for quotes, backslashes and $VARIABLES; stops at a
   * comment.
   */
  static List<String> words(String line, Scope scope) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          word.append(c);
        }
        continue;
      }
      if (c == '$'
          && i + 1 < line.length()
          && (line.charAt(i + 1) == '{'
              || Character.isLetter(line.charAt(i + 1))
              || line.charAt(i + 1) == '_')) {
        int start = line.charAt(i + 1) == '{' ? i + 2 : i + 1;
        int end = start;
        while (end < line.length()
            && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) {
          end++;
        }
        word = word == null ? new StringBuilder() : word;
        word.append(scope.variable(line.substring(start, end)));
        i = line.charAt(i + 1) == '{' ? end : end - 1;
        continue;
      }
      if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\' && i + 1 < line.length()) {
          word.append(line.charAt(++i));
        } else {
          word.append(c);
        }
        continue;
      }
      if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else if (c == '#' && word == null) {
        break;
      } else {
        word = word == null ? new StringBuilder() : word;
        if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '\\' && i + 1 < line.length()) {
          word.append(line.charAt(++i));
        } else {
          word.append(c);
        }
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }
}
