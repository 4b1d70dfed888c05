package dev.llmotel.apibridge.helper;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * What {@code GlobalOpenTelemetry.get()} returns in place of the no-op when the application has the API but no SDK:
 * its tracers record through the agent, so its spans export with the LLM spans. Propagators are the application's
 * own when it configured some ({@code OpenTelemetry.propagating(...)}), else W3C trace context and baggage (the SDK's
 * default). Meters and loggers stay the API's no-ops (their interface defaults).
 */
final class BridgedOpenTelemetry implements OpenTelemetry {
  private final TracerProvider tracerProvider = new BridgedTracerProvider();
  private final ContextPropagators applicationPropagators;
  private final ContextPropagators propagators;

  BridgedOpenTelemetry(ContextPropagators applicationPropagators) {
    this.applicationPropagators = applicationPropagators;
    this.propagators = isNoop(applicationPropagators) ? w3c() : applicationPropagators;
  }

  /** True when this bridge was made for the application's value with these propagators. */
  boolean madeFor(ContextPropagators applicationPropagators) {
    return this.applicationPropagators == applicationPropagators;
  }

  @Override
  public TracerProvider getTracerProvider() {
    return tracerProvider;
  }

  @Override
  public ContextPropagators getPropagators() {
    return propagators;
  }

  static boolean isNoop(ContextPropagators propagators) {
    return propagators == null || propagators.getTextMapPropagator() == null
        || propagators.getTextMapPropagator() == TextMapPropagator.noop();
  }

  private static ContextPropagators w3c() {
    return ContextPropagators.create(TextMapPropagator.composite(
        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance()));
  }

  @Override
  public String toString() {
    return "BridgedOpenTelemetry{llm-otel-agent}";
  }
}
