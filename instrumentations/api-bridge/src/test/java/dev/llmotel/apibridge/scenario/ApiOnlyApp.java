package dev.llmotel.apibridge.scenario;

import dev.llmotel.telemetry.ParentProbes;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * An application with only the OpenTelemetry API: opens {@code app.request} through {@code GlobalOpenTelemetry}, and
 * asks the parent probes (as an LLM call would) while it is current. Compiled against API 1.0.0, run on any.
 */
public final class ApiOnlyApp implements Callable<Map<String, Object>> {
  @Override
  public Map<String, Object> call() throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    Tracer tracer = GlobalOpenTelemetry.getTracer("app", "1.0");
    out.put("global", GlobalOpenTelemetry.get().getClass().getName());
    Span request = tracer.spanBuilder("app.request").setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope ignored = request.makeCurrent()) {
      out.put("request", Ids.of(request.getSpanContext()));
      out.put("llmParent", Ids.of(ParentProbes.current()));
      tracer.spanBuilder("app.step").startSpan().end();
      Map<String, String> headers = new HashMap<>();
      GlobalOpenTelemetry.getPropagators().getTextMapPropagator().inject(Context.current(), headers, Map::put);
      out.put("traceparent", headers.get("traceparent"));
    } finally {
      request.end();
    }
    out.put("llmParentAfter", Ids.of(ParentProbes.current()));
    out.put("tracerBuilder", tracerBuilderSpan());
    return out;
  }

  /** API 1.4+: {@code GlobalOpenTelemetry.tracerBuilder("lib").setInstrumentationVersion("2.0").build()}. */
  private static String tracerBuilderSpan() throws Exception {
    Class<?> builderType;
    try {
      builderType = Class.forName("io.opentelemetry.api.trace.TracerBuilder", false,
          GlobalOpenTelemetry.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return "absent";
    }
    Method tracerBuilder = GlobalOpenTelemetry.class.getMethod("tracerBuilder", String.class);
    Object builder = tracerBuilder.invoke(null, "lib");
    builder = builderType.getMethod("setSchemaUrl", String.class).invoke(builder, "https://example.com/schema");
    builder = builderType.getMethod("setInstrumentationVersion", String.class).invoke(builder, "2.0");
    Tracer tracer = (Tracer) builderType.getMethod("build").invoke(builder);
    Span span = tracer.spanBuilder("lib.span").startSpan();
    span.end();
    return Ids.of(span.getSpanContext());
  }
}
