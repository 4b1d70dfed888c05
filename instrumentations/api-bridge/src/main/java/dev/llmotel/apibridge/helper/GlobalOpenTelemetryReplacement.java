package dev.llmotel.apibridge.helper;

import dev.llmotel.bootstrap.ValueHook;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;

/**
 * Sees the value {@code GlobalOpenTelemetry.get()} returns, for one application class loader. A no-op (no SDK set,
 * the API's default tracer provider) is replaced by a {@link BridgedOpenTelemetry}; anything else (the application's
 * own SDK or implementation, another agent's bridge) is returned untouched. Never calls {@code GlobalOpenTelemetry.set}.
 */
public final class GlobalOpenTelemetryReplacement implements ValueHook {
  private volatile BridgedOpenTelemetry bridge;

  @Override
  public Object replace(Object value, Class<?> origin) {
    try {
      if (!(value instanceof OpenTelemetry)) return value;
      OpenTelemetry app = (OpenTelemetry) value;
      return isNoop(app) ? bridgeFor(app.getPropagators()) : value;
    } catch (Throwable t) {
      return value;
    }
  }

  /** True when the value's tracer provider is the API's no-op one. */
  static boolean isNoop(OpenTelemetry openTelemetry) {
    TracerProvider provider = openTelemetry.getTracerProvider();
    return provider == null || provider == TracerProvider.noop();
  }

  private OpenTelemetry bridgeFor(ContextPropagators propagators) {
    BridgedOpenTelemetry b = bridge;
    if (b == null || !b.madeFor(propagators)) {
      b = new BridgedOpenTelemetry(propagators);
      bridge = b;
    }
    return b;
  }
}
