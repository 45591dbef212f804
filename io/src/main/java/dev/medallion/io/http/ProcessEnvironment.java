package dev.medallion.io.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The environment variables a connector's secrets are read from, as a {@link SecretSource}. Tests
 * run the CLI inside their own JVM, whose environment they cannot set: {@link #setForTests} puts a
 * value in front of the real environment for this process only (never used by the CLI itself).
 */
public final class ProcessEnvironment {
  private static final Map<String, String> OVERRIDES = new ConcurrentHashMap<>();

  private ProcessEnvironment() {}

  /** Reads the overrides first, then the process environment. */
  public static SecretSource source() {
    return ProcessEnvironment::get;
  }

  static String get(String name) {
    String value = OVERRIDES.get(name);
    return value != null ? value : System.getenv(name);
  }

  /** Stands in for an environment variable in this JVM; null removes the stand-in. */
  public static void setForTests(String name, String value) {
    if (value == null) {
      OVERRIDES.remove(name);
    } else {
      OVERRIDES.put(name, value);
    }
  }
}
