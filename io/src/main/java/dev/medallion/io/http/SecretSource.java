package dev.medallion.io.http;

import java.io.Serializable;

/**
 * Where a {@link TokenProvider} looks up its secrets by name: the process environment of the
 * worker. It is a function, not a map of values, so a serialized provider carries names only. Tests
 * pass a static method reference over their own map.
 */
@FunctionalInterface
public interface SecretSource extends Serializable {
  /** The value of the named secret, or null when it is not set. */
  String get(String name);

  SecretSource ENVIRONMENT = System::getenv;
}
