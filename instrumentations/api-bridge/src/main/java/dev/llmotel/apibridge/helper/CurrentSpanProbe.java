package dev.llmotel.apibridge.helper;

import dev.llmotel.telemetry.ParentProbe;
import dev.llmotel.telemetry.ParentSpan;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;

/**
 * Tells the application's current span ({@code Span.current()} of its own API), whoever made it: the bridge, the
 * application's own SDK, or the official OpenTelemetry agent bridging the API. LLM spans nest under it. Also tells the
 * conversation the application's baggage names, under the first of {@link #CONVERSATION_KEYS} present: LLM spans
 * record it as {@code gen_ai.conversation.id} (a session in Langfuse).
 */
public final class CurrentSpanProbe implements ParentProbe {
  /** Baggage keys naming a conversation or session: the GenAI attribute's own name, then common session keys. */
  static final String[] CONVERSATION_KEYS = {"gen_ai.conversation.id", "session.id", "langfuse.session.id"};
  private static final int MAX_CONVERSATION_ID_CHARS = 256;

  /** Resolved on construction: a loader that cannot see the API gets no probe, rather than one failing each call. */
  private final Class<?> api = Span.class;

  @Override
  public ParentSpan currentSpan() {
    try {
      SpanContext sc = Span.current().getSpanContext();
      String conversation = conversationId();
      if (conversation == null) return BridgedSpanBuilder.toParentSpan(sc);
      return sc.isValid()
          ? new ParentSpan(sc.getTraceId(), sc.getSpanId(), sc.getTraceFlags().asByte(), sc.isRemote(), conversation)
          : new ParentSpan(TraceId.getInvalid(), SpanId.getInvalid(), (byte) 0, false, conversation);
    } catch (Throwable t) {
      return null;
    }
  }

  private static String conversationId() {
    Baggage baggage = Baggage.current();
    if (baggage.isEmpty()) return null;
    for (String key : CONVERSATION_KEYS) {
      String value = baggage.getEntryValue(key);
      if (value != null && !value.isEmpty()) {
        return value.length() > MAX_CONVERSATION_ID_CHARS ? value.substring(0, MAX_CONVERSATION_ID_CHARS) : value;
      }
    }
    return null;
  }
}
