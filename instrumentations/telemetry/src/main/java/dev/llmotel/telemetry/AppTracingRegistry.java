package dev.llmotel.telemetry;

/**
 * Where hooks find the agent's {@link AppTracing} once the telemetry pipeline is up. With the default sampler it never
 * waits: while the pipeline is starting, spans the application starts are {@linkplain DeferredAppTracing deferred}
 * (ids now, recorded once the SDK is up), so an application that starts a span in its first milliseconds is not held
 * up by the agent's start. With another sampler such a span waits for the pipeline (at most the start-up wait), as
 * LLM calls do, so the configured sampler decides it.
 */
public final class AppTracingRegistry {
  private static volatile Pending<AppTracing> appTracing;
  private static volatile DeferredAppTracing deferred;
  private static volatile long waitMillis;

  private AppTracingRegistry() {}

  public static void install(AppTracing tracing) {
    install(Pending.of(tracing), 0);
  }

  /** Deferring while the pipeline starts (the default sampler's case). */
  public static void install(Pending<AppTracing> tracing, long startupWaitMillis) {
    install(tracing, startupWaitMillis, true);
  }

  /**
   * @param startupWaitMillis how long a span started while the pipeline starts waits for it when not deferring
   * @param defer whether such a span is deferred (ids now, sampled at a root as the default sampler would) instead of
   *     waiting: only with the default sampler, since a deferred root cannot ask the configured one
   *     ({@code always_off}, a ratio) whether it is sampled; call {@link #settled()} once {@code tracing} is completed
   *     or failed
   */
  public static void install(Pending<AppTracing> tracing, long startupWaitMillis, boolean defer) {
    deferred = defer ? new DeferredAppTracing(tracing) : null;
    waitMillis = startupWaitMillis;
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
    DeferredAppTracing d = deferred;
    return d != null ? d : p.get(waitMillis);
  }

  /** The pipeline is up (or failed): records the deferred spans that already ended. */
  public static void settled() {
    DeferredAppTracing d = deferred;
    if (d != null) d.sdkSettled();
  }
}
