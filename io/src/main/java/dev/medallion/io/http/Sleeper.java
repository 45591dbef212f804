package dev.medallion.io.http;

import java.io.Serializable;
import java.time.Duration;

/** Waits between attempts; tests pass one that records the waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper extends Serializable {
  void sleep(Duration duration) throws InterruptedException;

  Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());
}
