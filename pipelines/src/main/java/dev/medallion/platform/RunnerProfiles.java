package dev.medallion.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Runner profiles: {@code runner-profiles/NAME.properties}, each line a Beam option. A file in the
 * working directory's runner-profiles/ wins over the copy inside the jar, and any Beam option given
 * on the command line wins over both.
 */
public final class RunnerProfiles {
  public static final String DEFAULT = "direct";

  private RunnerProfiles() {}

  public static Map<String, String> load(String name) throws IOException {
    Path local = Paths.get("runner-profiles", name + ".properties");
    Path given = Paths.get(name);
    Properties properties = new Properties();
    if (Files.isRegularFile(given)) {
      try (Reader in = Files.newBufferedReader(given, StandardCharsets.UTF_8)) {
        properties.load(in);
      }
    } else if (Files.isRegularFile(local)) {
      try (Reader in = Files.newBufferedReader(local, StandardCharsets.UTF_8)) {
        properties.load(in);
      }
    } else {
      try (InputStream in =
          RunnerProfiles.class
              .getClassLoader()
              .getResourceAsStream("runner-profiles/" + name + ".properties")) {
        if (in == null) {
          throw new IllegalArgumentException(
              "Unknown runner profile '"
                  + name
                  + "' for --profile: use direct, flink-local or "
                  + "flink-cluster, or the path of a .properties file of Beam options.");
        }
        properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
      }
    }
    Map<String, String> options = new TreeMap<>();
    properties.forEach((k, v) -> options.put(k.toString().strip(), v.toString().strip()));
    return options;
  }

  /** The profile's options, overridden by the command line's {@code --name=value} Beam options. */
  public static List<String> merge(Map<String, String> profile, List<String> commandLine) {
    Map<String, String> merged = new LinkedHashMap<>(profile);
    List<String> flags = new ArrayList<>();
    for (String arg : commandLine) {
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException(
            "Unexpected argument '" + arg + "': Beam options are written --name=value");
      }
      int eq = arg.indexOf('=');
      if (eq < 0) {
        flags.add(arg);
        merged.remove(arg.substring(2));
      } else {
        merged.put(arg.substring(2, eq), arg.substring(eq + 1));
      }
    }
    List<String> args = new ArrayList<>();
    merged.forEach((k, v) -> args.add("--" + k + "=" + v));
    args.addAll(flags);
    return args;
  }
}
