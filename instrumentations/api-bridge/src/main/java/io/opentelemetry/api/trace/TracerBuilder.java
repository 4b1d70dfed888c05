package io.opentelemetry.api.trace;

/**
 * Compile-only declaration of the API's {@code TracerBuilder} (added in API 1.4.0), so that the bridged tracer
 * provider can override {@code TracerProvider.tracerBuilder(String)}, whose default returns a no-op builder. The
 * build excludes this file from compilation ({@code -implicit:none}); at run time the application's own copy is used.
 */
public interface TracerBuilder {
  TracerBuilder setSchemaUrl(String schemaUrl);

  TracerBuilder setInstrumentationVersion(String instrumentationVersion);

  Tracer build();
}
