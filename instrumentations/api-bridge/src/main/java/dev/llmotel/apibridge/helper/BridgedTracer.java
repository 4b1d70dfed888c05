package dev.llmotel.apibridge.helper;

import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.Tracer;

/** A tracer of the application's whose spans the agent's SDK records, under the tracer's scope name and version. */
final class BridgedTracer implements Tracer {
  private final String scopeName;
  private final String scopeVersion;

  BridgedTracer(String scopeName, String scopeVersion) {
    this.scopeName = scopeName;
    this.scopeVersion = scopeVersion;
  }

  @Override
  public SpanBuilder spanBuilder(String spanName) {
    return new BridgedSpanBuilder(scopeName, scopeVersion, spanName);
  }

  String scopeName() {
    return scopeName;
  }

  String scopeVersion() {
    return scopeVersion;
  }
}
