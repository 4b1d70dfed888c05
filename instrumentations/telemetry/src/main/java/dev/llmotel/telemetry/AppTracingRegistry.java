package dev.llmotel.telemetry;

/**
 * Where hooks find the agent's {@link AppTracing} once the telemetry pipeline is up. Never waits: while the pipeline
 * is starting, spans the application starts are {@linkplain DeferredAppTracing deferred} (ids now, recorded once the
 * SDK is up), so an application that starts a span in its first milliseconds is not held up by the agent's start.
 */
public final class AppTracingRegistry {
  private static volatile Pending<AppTracing> appTracing;
  private static volatile DeferredAppTracing deferred;

  private AppTracingRegistry() {}

  public static void install(AppTracing tracing) {
    install(Pending.of(tracing), 0);
  }

  /**
   * @param startupWaitMillis unused: callers no longer wait for the pipeline (kept for the installer's call); call
   *     {@link #settled()} once {@code tracing} is completed or failed
   */
  public static void install(Pending<AppTracing> tracing, long startupWaitMillis) {
    deferred = new DeferredAppTracing(tracing);
    appTracing = tracing;
  }

  /**
   * The agent's tracer for application spans: the SDK's once it is up, a deferring one while it starts; null when
   * telemetry is not installed, failed, or is disabled.
   */
  public static AppTracing get() {
    Pending<AppTracing> p = appTracing;
    if (p == null) return null;
    AppTracing ready = p.get(0);
    if (ready != null || p.isDone()) return ready;
    return deferred;
  }

  /** The pipeline is up (or failed): records the deferred spans that already ended. */
  public static void settled() {
    DeferredAppTracing d = deferred;
    if (d != null) d.sdkSettled();
  }
}
