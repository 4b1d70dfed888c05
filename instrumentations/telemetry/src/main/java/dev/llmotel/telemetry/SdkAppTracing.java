package dev.llmotel.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link AppTracing} over the agent's own OpenTelemetry SDK: the application's spans export with the LLM spans.
 *
 * <p>One call, one LLM span: when an SDK traces its own calls through the application's API (anthropic-java does by
 * default), its span is the parent of the agent's LLM span. It keeps its name and request attributes, but its
 * {@code gen_ai.usage.*} counts are held until it ends and then dropped if an LLM call of the agent's began inside it
 * (marked {@code llmotel.usage.on_child_span=true}): backends that sum tokens and cost per trace (Langfuse, Opik)
 * count them once, on the agent's span, which carries every attribute and feeds the metrics.
 */
public final class SdkAppTracing implements AppTracing {
  private static final SpanKind[] KINDS = {
    SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER
  };

  private final TracerProvider tracerProvider;
  private final Map<String, Tracer> tracers = new ConcurrentHashMap<>();

  public SdkAppTracing(TracerProvider tracerProvider) {
    this.tracerProvider = tracerProvider;
  }

  @Override
  public AppSpan startSpan(String scopeName, String scopeVersion, String spanName, int kind, ParentSpan parent,
      long startEpochNanos) {
    SpanBuilder builder = tracer(scopeName, scopeVersion).spanBuilder(spanName)
        .setSpanKind(kind >= 0 && kind < KINDS.length ? KINDS[kind] : SpanKind.INTERNAL);
    if (parent == null) {
      builder.setNoParent();
    } else {
      builder.setParent(Context.root().with(Span.wrap(ParentSpanContexts.of(parent))));
    }
    if (startEpochNanos > 0) builder.setStartTimestamp(startEpochNanos, TimeUnit.NANOSECONDS);
    Span span = builder.startSpan();
    if (parent != null) LlmParents.linkParent(span.getSpanContext().getSpanId(), parent.spanId());
    return new SdkAppSpan(span);
  }

  private Tracer tracer(String name, String version) {
    String key = version == null ? name : name + '\u0000' + version;
    Tracer t = tracers.get(key);
    if (t == null) {
      TracerBuilder b = tracerProvider.tracerBuilder(name == null || name.isEmpty() ? "unknown" : name);
      if (version != null) b.setInstrumentationVersion(version);
      t = b.build();
      if (tracers.size() < 1000) tracers.put(key, t);
    }
    return t;
  }

  static Attributes toAttributes(Map<String, Object> map) {
    if (map == null || map.isEmpty()) return Attributes.empty();
    AttributesBuilder b = Attributes.builder();
    for (Map.Entry<String, Object> e : map.entrySet()) put(b, e.getKey(), e.getValue());
    return b.build();
  }

  @SuppressWarnings("unchecked")
  static void put(AttributesBuilder b, String key, Object v) {
    if (key == null || v == null) return;
    if (v instanceof String) b.put(key, (String) v);
    else if (v instanceof Boolean) b.put(key, (Boolean) v);
    else if (v instanceof Double || v instanceof Float) b.put(key, ((Number) v).doubleValue());
    else if (v instanceof Number) b.put(key, ((Number) v).longValue());
    else if (v instanceof List) {
      List<?> list = (List<?>) v;
      Object first = list.isEmpty() ? "" : list.get(0);
      if (first instanceof Boolean) b.put(AttributeKey.booleanArrayKey(key), (List<Boolean>) list);
      else if (first instanceof Double || first instanceof Float) {
        List<Double> d = new ArrayList<>(list.size());
        for (Object o : list) d.add(((Number) o).doubleValue());
        b.put(AttributeKey.doubleArrayKey(key), d);
      } else if (first instanceof Number) {
        List<Long> l = new ArrayList<>(list.size());
        for (Object o : list) l.add(((Number) o).longValue());
        b.put(AttributeKey.longArrayKey(key), l);
      } else {
        List<String> s = new ArrayList<>(list.size());
        for (Object o : list) s.add(String.valueOf(o));
        b.put(AttributeKey.stringArrayKey(key), s);
      }
    } else b.put(key, String.valueOf(v));
  }

  static final String USAGE_PREFIX = "gen_ai.usage.";

  private static final class SdkAppSpan implements AppSpan {
    private final Span span;
    /** {@code gen_ai.usage.*} attributes, held until the end (see the class comment); guarded by this. */
    private Map<String, Object> heldUsage;

    SdkAppSpan(Span span) {
      this.span = span;
    }

    @Override public String traceId() { return span.getSpanContext().getTraceId(); }
    @Override public String spanId() { return span.getSpanContext().getSpanId(); }
    @Override public byte traceFlags() { return span.getSpanContext().getTraceFlags().asByte(); }
    @Override public boolean isRecording() { return span.isRecording(); }

    @Override
    public void setAttribute(String key, Object value) {
      if (key == null || value == null) return;
      if (key.startsWith(USAGE_PREFIX)) {
        synchronized (this) {
          if (heldUsage == null) heldUsage = new java.util.LinkedHashMap<>();
          heldUsage.put(key, value);
        }
        return;
      }
      AttributesBuilder b = Attributes.builder();
      put(b, key, value);
      span.setAllAttributes(b.build());
    }

    @Override
    public void addEvent(String name, Map<String, Object> attributes, long epochNanos) {
      if (epochNanos > 0) span.addEvent(name, toAttributes(attributes), epochNanos, TimeUnit.NANOSECONDS);
      else span.addEvent(name, toAttributes(attributes));
    }

    @Override
    public void setStatus(int statusCode, String description) {
      StatusCode code = statusCode == STATUS_OK ? StatusCode.OK
          : statusCode == STATUS_ERROR ? StatusCode.ERROR : StatusCode.UNSET;
      if (description == null) span.setStatus(code);
      else span.setStatus(code, description);
    }

    @Override
    public void recordException(Throwable error, Map<String, Object> attributes) {
      span.recordException(error, toAttributes(attributes));
    }

    @Override public void updateName(String name) { span.updateName(name); }

    @Override
    public void end(long epochNanos) {
      String spanId = span.getSpanContext().getSpanId();
      LlmParents.unlink(spanId);
      boolean llmChild = LlmParents.takeParent(spanId);
      Map<String, Object> usage;
      synchronized (this) {
        usage = heldUsage;
        heldUsage = null;
      }
      if (llmChild) {
        if (usage != null) span.setAttribute(GenAiAttributes.USAGE_ON_CHILD_SPAN, true);
      } else if (usage != null) {
        span.setAllAttributes(toAttributes(usage));
      }
      if (epochNanos > 0) span.end(epochNanos, TimeUnit.NANOSECONDS);
      else span.end();
    }
  }
}
