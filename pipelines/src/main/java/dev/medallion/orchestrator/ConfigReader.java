package dev.medallion.orchestrator;

import dev.medallion.orchestrator.IngestionConfig.Global;
import dev.medallion.orchestrator.IngestionConfig.Job;
import dev.medallion.orchestrator.IngestionConfig.JobGroup;
import dev.medallion.orchestrator.IngestionConfig.Problem;
import dev.medallion.orchestrator.IngestionConfig.Service;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads ingestion-config.yaml into an {@link IngestionConfig}, collecting every problem a value's
 * type or a missing key makes (with its path) instead of stopping at the first; {@link
 * ConfigValidator} adds the problems of meaning.
 */
public final class ConfigReader {
  /** The file {@code --config} defaults to, in the working directory. */
  public static final String FILE_NAME = "ingestion-config.yaml";

  /** The copy in the jar, used when the working directory has none. */
  public static final String BUNDLED = "/" + FILE_NAME;

  private static final String FILE = "(file)";

  private static final String BUCKET_PREFIX = "gcs_bucket_";
  private static final Set<String> GLOBAL_KEYS =
      Set.of("timezone", "retry_attempts", "max_parallel_jobs", "timeout_minutes");
  private static final Set<String> SERVICE_KEYS =
      Set.of("description", "pipeline", "supported_data_types");
  private static final Set<String> JOB_KEYS =
      Set.of(
          "service", "data_type", "description", "cron", "environment", "enabled", "dependencies");
  private static final Set<String> GROUP_KEYS = Set.of("description", "jobs");

  /** The typed file and the problems met reading it (a config with problems is not to be run). */
  public record Loaded(IngestionConfig config, List<Problem> problems) {
    /** False when the text is not YAML or is empty: its other checks would only repeat that. */
    public boolean readable() {
      return problems.stream().noneMatch(p -> p.path().equals(FILE));
    }
  }

  private final List<Problem> problems = new ArrayList<>();

  private ConfigReader() {}

  /**
   * The file at {@code path}; without one, ./ingestion-config.yaml when it exists, else the copy in
   * the jar.
   */
  public static Loaded load(Path path) throws IOException {
    if (path == null && Files.exists(Path.of(FILE_NAME))) {
      path = Path.of(FILE_NAME);
    }
    if (path != null) {
      return read(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    }
    try (InputStream in = ConfigReader.class.getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IOException("no " + FILE_NAME + " here and none in the jar: pass --config FILE");
      }
      return read(new String(in.readAllBytes(), StandardCharsets.UTF_8), "(bundled) " + FILE_NAME);
    }
  }

  /** Reads the text of a config file; {@code source} names it in messages. */
  public static Loaded read(String text, String source) {
    return new ConfigReader().parse(text, source);
  }

  private Loaded parse(String text, String source) {
    Map<String, Object> root = Map.of();
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    try {
      Object document = new Yaml(new SafeConstructor(options)).load(text);
      if (document == null) {
        problems.add(new Problem(FILE, "is empty"));
      } else {
        root = map(document, FILE);
      }
    } catch (YAMLException e) {
      problems.add(new Problem(FILE, "is not valid YAML: " + e.getMessage().replace('\n', ' ')));
    }
    if (!problems.isEmpty()) {
      return new Loaded(
          new IngestionConfig(
              source, new Global("UTC", 0, 1, 30, Map.of()), Map.of(), Map.of(), Map.of()),
          List.copyOf(problems));
    }
    unknownKeys(root, "", Set.of("global", "services", "jobs", "job_groups"));
    Global global = global(map(root.get("global"), "global"));
    Map<String, Service> services = new LinkedHashMap<>();
    map(root.get("services"), "services")
        .forEach((name, body) -> services.put(name, service(name, body)));
    Map<String, Job> jobs = new LinkedHashMap<>();
    Map<String, Object> jobBodies = map(root.get("jobs"), "jobs");
    if (!root.containsKey("jobs") && !root.isEmpty()) {
      problems.add(new Problem("jobs", "is missing: the file defines no job"));
    }
    jobBodies.forEach((id, body) -> jobs.put(id, job(id, body)));
    Map<String, JobGroup> groups = new LinkedHashMap<>();
    map(root.get("job_groups"), "job_groups")
        .forEach((name, body) -> groups.put(name, group(name, body)));
    return new Loaded(
        new IngestionConfig(source, global, services, jobs, groups), List.copyOf(problems));
  }

  private Global global(Map<String, Object> body) {
    Map<String, String> buckets = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : body.entrySet()) {
      if (entry.getKey().startsWith(BUCKET_PREFIX)) {
        String env = entry.getKey().substring(BUCKET_PREFIX.length());
        String bucket = text(entry.getValue(), "global." + entry.getKey(), true);
        if (!env.isEmpty() && bucket != null) {
          buckets.put(env, bucket);
        }
      } else if (!GLOBAL_KEYS.contains(entry.getKey())) {
        problems.add(
            new Problem(
                "global." + entry.getKey(),
                "unknown key: global has "
                    + String.join(", ", new TreeSet<>(GLOBAL_KEYS))
                    + " and gcs_bucket_<environment>"));
      }
    }
    String timezone = text(body.get("timezone"), "global.timezone", true);
    return new Global(
        timezone == null ? "UTC" : timezone,
        number(body.get("retry_attempts"), "global.retry_attempts", 0),
        number(body.get("max_parallel_jobs"), "global.max_parallel_jobs", 1),
        number(body.get("timeout_minutes"), "global.timeout_minutes", 30),
        buckets);
  }

  private Service service(String name, Object value) {
    String path = "services." + name;
    Map<String, Object> body = map(value, path);
    unknownKeys(body, path, SERVICE_KEYS);
    String pipeline = text(body.get("pipeline"), path + ".pipeline", false);
    String description = text(body.get("description"), path + ".description", false);
    return new Service(
        name,
        description == null ? "" : description,
        pipeline == null ? name : pipeline,
        list(body.get("supported_data_types"), path + ".supported_data_types"));
  }

  private Job job(String id, Object value) {
    String path = "jobs." + id;
    Map<String, Object> body = map(value, path);
    unknownKeys(body, path, JOB_KEYS);
    String description = text(body.get("description"), path + ".description", false);
    Object enabled = body.get("enabled");
    if (enabled != null && !(enabled instanceof Boolean)) {
      problems.add(new Problem(path + ".enabled", "'" + enabled + "' is not true or false"));
    }
    String service = text(body.get("service"), path + ".service", true);
    String dataType = text(body.get("data_type"), path + ".data_type", true);
    String cron = text(body.get("cron"), path + ".cron", true);
    String environment = text(body.get("environment"), path + ".environment", true);
    return new Job(
        id,
        service == null ? "" : service,
        dataType == null ? "" : dataType,
        description == null ? "" : description,
        cron == null ? "" : cron,
        environment == null ? "" : environment,
        !(enabled instanceof Boolean b) || b,
        list(body.get("dependencies"), path + ".dependencies"));
  }

  private JobGroup group(String name, Object value) {
    String path = "job_groups." + name;
    Map<String, Object> body = map(value, path);
    unknownKeys(body, path, GROUP_KEYS);
    String description = text(body.get("description"), path + ".description", false);
    return new JobGroup(
        name, description == null ? "" : description, list(body.get("jobs"), path + ".jobs"));
  }

  private void unknownKeys(Map<String, Object> body, String path, Set<String> known) {
    for (String key : body.keySet()) {
      if (!known.contains(key)) {
        problems.add(
            new Problem(
                path.isEmpty() ? key : path + "." + key,
                "unknown key: "
                    + (path.isEmpty() ? "the file has " : "use ")
                    + String.join(", ", new TreeSet<>(known))));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> map(Object value, String path) {
    if (value == null) {
      return Map.of();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> keyed = new LinkedHashMap<>();
      ((Map<Object, Object>) map).forEach((k, v) -> keyed.put(String.valueOf(k), v));
      return keyed;
    }
    problems.add(new Problem(path, "is not a mapping of keys to values"));
    return Map.of();
  }

  private String text(Object value, String path, boolean required) {
    if (value == null) {
      if (required) {
        problems.add(new Problem(path, "is missing"));
      }
      return null;
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      problems.add(new Problem(path, "is not a single value"));
      return null;
    }
    String text = String.valueOf(value);
    if (required && text.isBlank()) {
      problems.add(new Problem(path, "is empty"));
    }
    return text;
  }

  private int number(Object value, String path, int otherwise) {
    if (value == null) {
      return otherwise;
    }
    if (value instanceof Integer n) {
      return n;
    }
    problems.add(new Problem(path, "'" + value + "' is not a whole number"));
    return otherwise;
  }

  private List<String> list(Object value, String path) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> items)) {
      problems.add(new Problem(path, "is not a list (write [A, B] or one \"- A\" per line)"));
      return List.of();
    }
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      if (item == null || item instanceof Map<?, ?> || item instanceof List<?>) {
        problems.add(new Problem(path + "[" + i + "]", "is not a single value"));
      } else {
        texts.add(String.valueOf(item));
      }
    }
    return texts;
  }
}
