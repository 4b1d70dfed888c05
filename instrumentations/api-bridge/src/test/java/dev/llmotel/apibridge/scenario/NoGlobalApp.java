package dev.llmotel.apibridge.scenario;

import dev.llmotel.telemetry.ParentProbes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * An application that never calls {@code GlobalOpenTelemetry}: it makes a remote parent (as extracted by its own
 * propagation code) current. LLM spans must still nest under it.
 */
public final class NoGlobalApp implements Callable<Map<String, Object>> {
  @Override
  public Map<String, Object> call() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("llmParentBefore", Ids.of(ParentProbes.current()));
    SpanContext remote = SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
        TraceFlags.getSampled(), TraceState.getDefault());
    try (Scope ignored = Span.wrap(remote).makeCurrent()) {
      out.put("llmParent", Ids.of(ParentProbes.current()));
    }
    return out;
  }
}
