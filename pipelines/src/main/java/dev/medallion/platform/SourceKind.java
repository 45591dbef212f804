package dev.medallion.platform;

/** Where a pipeline's bronze layer reads from. */
public enum SourceKind {
  /** Files in a landing zone: a folder, {@code gs://}, {@code supabase://}. */
  FILES,
  /** An HTTP API, request by request. */
  API;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
