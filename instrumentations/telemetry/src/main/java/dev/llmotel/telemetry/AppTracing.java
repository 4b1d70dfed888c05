package dev.llmotel.telemetry;

/**
 * The agent's tracer as seen by the application's own OpenTelemetry API, in plain JDK types, so that a bridge living
 * in the application's class loader (compiled against the application's copy of the API) can export the
 * application's spans through the agent's SDK without the two copies of the API ever meeting.
 */
public interface AppTracing {
  int KIND_INTERNAL = 0;
  int KIND_SERVER = 1;
  int KIND_CLIENT = 2;
  int KIND_PRODUCER = 3;
  int KIND_CONSUMER = 4;

  /**
   * Starts a span.
   *
   * @param scopeName the instrumentation scope (the application's tracer name)
   * @param scopeVersion the scope's version, or null
   * @param parent the parent, or null for a root span
   * @param startEpochNanos start time, or 0 for now
   */
  AppSpan startSpan(String scopeName, String scopeVersion, String spanName, int kind, ParentSpan parent,
      long startEpochNanos);
}
