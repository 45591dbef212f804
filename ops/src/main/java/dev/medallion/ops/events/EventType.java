package dev.medallion.ops.events;

/** The events a run publishes (etl-orchestrator-service.md, "Events Published"). */
public enum EventType {
  EXECUTION_STARTED("execution.started"),
  EXECUTION_COMPLETED("execution.completed"),
  EXECUTION_FAILED("execution.failed"),
  LAYER_COMPLETED("layer.completed"),
  QUALITY_ISSUE_DETECTED("quality.issue_detected");

  private final String label;

  EventType(String label) {
    this.label = label;
  }

  /** The name stored in ops.events and sent to webhooks, e.g. {@code execution.started}. */
  public String label() {
    return label;
  }

  /** Whether it is an alert: a failed run or a failed quality check. */
  public boolean alert() {
    return this == EXECUTION_FAILED || this == QUALITY_ISSUE_DETECTED;
  }

  public static EventType of(String label) {
    for (EventType type : values()) {
      if (type.label.equals(label)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown event type " + label);
  }
}
