package dev.medallion.transforms.inventory;

import dev.medallion.transforms.snapshot.FlushPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javax.annotation.Nullable;

/**
 * The inventory pipelines' one config file: the routing table (file name pattern → pipeline and
 * file kind) and each pipeline's settings. The bundled {@code
 * inventory/inventory-pipelines.properties} holds the defaults; a user's file overrides any key.
 */
public final class InventoryConfig implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String BUNDLED = "inventory/inventory-pipelines.properties";

  /** One routing rule. */
  public record Route(String pipeline, FileKind kind, String pattern) implements Serializable {}

  /** Where a file goes, read from its name. */
  public record Routed(String pipeline, FileKind kind, LocalDate date, @Nullable String store)
      implements Serializable {}

  /** One pipeline's settings. */
  public record Settings(
      int workerCount,
      int batchSize,
      long batchBytes,
      Duration flushInterval,
      String outputDir,
      String intermediateDir,
      int retryAttempts,
      Duration retryBackoff,
      StockHealthSettings stockHealth,
      String dateFormat,
      Map<String, List<String>> aliases)
      implements Serializable {
    /** When a date's snapshot is rewritten early: batch_size files, batch_bytes, flush_interval. */
    public FlushPolicy flushPolicy() {
      return FlushPolicy.defaults()
          .withMaxElements(batchSize)
          .withMaxBytes(batchBytes)
          .withMaxDelay(flushInterval);
    }

    public DateTimeFormatter dateFormatter() {
      return DateTimeFormatter.ofPattern(dateFormat, Locale.ROOT);
    }
  }

  private final TreeMap<String, String> values;

  private InventoryConfig(Map<String, String> values) {
    this.values = new TreeMap<>(values);
  }

  /** The bundled defaults, overridden by {@code file} when given. */
  public static InventoryConfig load(@Nullable String file) {
    Map<String, String> values = new LinkedHashMap<>();
    try (InputStream in = InventoryConfig.class.getClassLoader().getResourceAsStream(BUNDLED)) {
      read(new java.io.InputStreamReader(in, StandardCharsets.UTF_8), values);
      if (file != null && !file.isBlank()) {
        try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
          read(r, values);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("--config " + file + " cannot be read: " + e.getMessage());
    }
    InventoryConfig config = new InventoryConfig(values);
    config.routes(); // checks the patterns
    return config;
  }

  private static void read(Reader reader, Map<String, String> into) throws IOException {
    Properties p = new Properties();
    p.load(reader);
    p.stringPropertyNames().forEach(k -> into.put(k, p.getProperty(k).strip()));
  }

  public List<Route> routes() {
    List<Route> routes = new ArrayList<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!e.getKey().startsWith("route.")) {
        continue;
      }
      String[] parts = e.getValue().split("\\s+", 3);
      if (parts.length != 3) {
        throw new IllegalArgumentException(
            e.getKey()
                + " must be '<pipeline> <stock|suppliers|po> <pattern>', got "
                + e.getValue());
      }
      try {
        Pattern.compile(parts[2]);
      } catch (PatternSyntaxException ex) {
        throw new IllegalArgumentException(e.getKey() + ": " + ex.getDescription());
      }
      routes.add(new Route(parts[0], FileKind.parse(parts[1]), parts[2]));
    }
    return routes;
  }

  /** Where the file named {@code name} goes, or why none: empty with the reason in {@code why}. */
  public Optional<Routed> route(String name, StringBuilder why) {
    for (Route r : routes()) {
      Matcher m = Pattern.compile(r.pattern()).matcher(name);
      if (m.matches()) {
        String date = group(m, "date");
        if (date == null) {
          why.append("route ").append(r.pattern()).append(" has no (?<date>...) group");
          return Optional.empty();
        }
        try {
          return Optional.of(
              new Routed(
                  r.pipeline(),
                  r.kind(),
                  LocalDate.parse(date, DateTimeFormatter.BASIC_ISO_DATE),
                  group(m, "store")));
        } catch (DateTimeParseException e) {
          why.append("'").append(date).append("' in the name is not a date (YYYYMMDD)");
          return Optional.empty();
        }
      }
    }
    why.append("no routing pattern matches the file name");
    return Optional.empty();
  }

  @Nullable
  private static String group(Matcher m, String name) {
    try {
      return m.group(name);
    } catch (IllegalArgumentException e) {
      return null; // the pattern has no such group
    }
  }

  public Settings settings(String pipeline) {
    Map<String, List<String>> aliases = new LinkedHashMap<>();
    String prefix = pipeline + ".aliases.";
    values.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            aliases.put(
                ColumnSpec.normalized(k.substring(prefix.length())),
                Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
          }
        });
    return new Settings(
        integer(pipeline, "worker_count", 4),
        integer(pipeline, "batch_size", 5),
        Long.parseLong(value(pipeline, "batch_bytes", "10485760")),
        duration(pipeline, "flush_interval", "5m"),
        value(pipeline, "output_dir", "data/seeds/" + pipeline),
        value(pipeline, "intermediate_dir", "data/intermediate/" + pipeline),
        integer(pipeline, "retry_attempts", 3),
        duration(pipeline, "retry_backoff", "30s"),
        new StockHealthSettings(
            integer(pipeline, "safety_days", 7),
            integer(pipeline, "review_days", 14),
            integer(pipeline, "overstock_days", 90)),
        value(pipeline, "date_format", "dd/MM/yyyy"),
        aliases);
  }

  private String value(String pipeline, String key, String fallback) {
    return values.getOrDefault(pipeline + "." + key, fallback);
  }

  private int integer(String pipeline, String key, int fallback) {
    String v = value(pipeline, key, String.valueOf(fallback));
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          pipeline + "." + key + " must be a whole number, got " + v);
    }
  }

  private Duration duration(String pipeline, String key, String fallback) {
    String v = value(pipeline, key, fallback).toLowerCase(Locale.ROOT);
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(v);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          pipeline + "." + key + " must be like 30s, 5m or 1h, got " + v);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
