package dev.llmotel.apibridge.helper;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;

/**
 * {@code TracerBuilder} of API 1.4+, loaded only when the application's API has that type. The schema URL is
 * ignored: {@link dev.llmotel.telemetry.AppTracing} takes only a scope name and version.
 */
final class BridgedTracerBuilder implements TracerBuilder {
  private final String scopeName;
  private String scopeVersion;

  private BridgedTracerBuilder(String scopeName) {
    this.scopeName = scopeName;
  }

  static TracerBuilder create(String scopeName) {
    return new BridgedTracerBuilder(scopeName);
  }

  @Override
  public TracerBuilder setSchemaUrl(String schemaUrl) {
    return this;
  }

  @Override
  public TracerBuilder setInstrumentationVersion(String instrumentationVersion) {
    scopeVersion = instrumentationVersion;
    return this;
  }

  @Override
  public Tracer build() {
    return new BridgedTracer(scopeName, scopeVersion);
  }
}
