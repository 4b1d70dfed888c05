package dev.llmotel.telemetry;

/** Where hooks find the agent's {@link AppTracing} once the telemetry pipeline is up. */
public final class AppTracingRegistry {
  private static volatile Pending<AppTracing> appTracing;
  private static volatile long waitMillis;

  private AppTracingRegistry() {}

  public static void install(AppTracing tracing) {
    install(Pending.of(tracing), 0);
  }

  /** @param startupWaitMillis how long a caller may wait while the pipeline is still starting */
  public static void install(Pending<AppTracing> tracing, long startupWaitMillis) {
    waitMillis = startupWaitMillis;
    appTracing = tracing;
  }

  /** The agent's tracer for application spans, or null while telemetry is not ready (or disabled). */
  public static AppTracing get() {
    Pending<AppTracing> p = appTracing;
    return p == null ? null : p.get(waitMillis);
  }
}
