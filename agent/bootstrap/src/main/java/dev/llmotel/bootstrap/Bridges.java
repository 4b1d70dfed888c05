package dev.llmotel.bootstrap;

/**
 * The slots through which inlined advice reaches the agent. Empty until the agent has installed itself; advice must
 * treat an empty slot as "do nothing".
 */
public final class Bridges {
  /** OkHttp: a client builder was constructed. */
  public static volatile ObjectHook okHttpBuilder;

  /** java.net.http: {@code HttpClientImpl.sendAsync(request, handler, pushPromiseHandler, executor)}. */
  public static volatile CallHook jdkHttpSend;

  /** OpenTelemetry API: {@code GlobalOpenTelemetry.get()} is returning. */
  public static volatile ValueHook globalOpenTelemetry;

  /** OpenTelemetry API: a class of the application's copy of the context API was initialised (argument: the class). */
  public static volatile ObjectHook openTelemetryApiLoaded;

  private Bridges() {}
}
