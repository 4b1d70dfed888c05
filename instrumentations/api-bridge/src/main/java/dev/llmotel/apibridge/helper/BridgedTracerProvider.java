package dev.llmotel.apibridge.helper;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.api.trace.TracerProvider;

/**
 * The application's tracer provider, bridged to the agent. Also overrides {@code tracerBuilder}, which API 1.4+ has
 * and whose default would hand out no-op tracers; on API 1.0 to 1.3 that method is simply never called.
 */
final class BridgedTracerProvider implements TracerProvider {
  @Override
  public Tracer get(String instrumentationName) {
    return new BridgedTracer(instrumentationName, null);
  }

  @Override
  public Tracer get(String instrumentationName, String instrumentationVersion) {
    return new BridgedTracer(instrumentationName, instrumentationVersion);
  }

  /**
   * API 1.4+ only. Goes through a static factory declared to return {@code TracerBuilder}, so that verifying this
   * class never loads {@code TracerBuilder} (absent from older APIs).
   */
  public TracerBuilder tracerBuilder(String instrumentationScopeName) {
    return BridgedTracerBuilder.create(instrumentationScopeName);
  }
}
