package dev.llmotel.telemetry;

/** Where hooks find the agent's {@link AppTracing} once the telemetry pipeline is up. */
public final class AppTracingRegistry {
  private static volatile AppTracing appTracing;

  private AppTracingRegistry() {}

  public static void install(AppTracing tracing) {
    appTracing = tracing;
  }

  /** The agent's tracer for application spans, or null while telemetry is not ready (or disabled). */
  public static AppTracing get() {
    return appTracing;
  }
}
