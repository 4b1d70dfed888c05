package dev.llmotel.apibridge.helper;

import dev.llmotel.telemetry.ParentProbe;
import dev.llmotel.telemetry.ParentSpan;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells the application's current span ({@code Span.current()} of its own API), whoever made it: the bridge, the
 * application's own SDK, or the official OpenTelemetry agent bridging the API. LLM spans nest under it. Also tells the
 * conversation the application's baggage names, under the first of {@link #CONVERSATION_KEYS} present: LLM spans
 * record it as {@code gen_ai.conversation.id} (a session in Langfuse); the user under {@link #USER_KEYS} (recorded as
 * {@code user.id}) and tags under {@link #TAGS_KEY} (recorded as {@code llmotel.tags}).
 */
public final class CurrentSpanProbe implements ParentProbe {
  /** Baggage keys naming a conversation or session: the GenAI attribute's own name, then common session keys. */
  static final String[] CONVERSATION_KEYS = {"gen_ai.conversation.id", "session.id", "langfuse.session.id"};
  /** Baggage keys naming the application's user: the semconv attribute's name, then Langfuse's. */
  static final String[] USER_KEYS = {"user.id", "langfuse.user.id"};
  /** Baggage key with comma-separated tags (Langfuse's attribute name): LLM spans record them as llmotel.tags. */
  static final String TAGS_KEY = "langfuse.trace.tags";
  private static final int MAX_TAGS = 20;
  private static final int MAX_CONVERSATION_ID_CHARS = 256;

  /** Resolved on construction: a loader that cannot see the API gets no probe, rather than one failing each call. */
  private final Class<?> api = Span.class;

  @Override
  public ParentSpan currentSpan() {
    try {
      SpanContext sc = Span.current().getSpanContext();
      Baggage baggage = Baggage.current();
      String conversation = first(baggage, CONVERSATION_KEYS);
      String user = first(baggage, USER_KEYS);
      List<String> tags = tags(baggage);
      if (conversation == null && user == null && tags == null) return BridgedSpanBuilder.toParentSpan(sc);
      return sc.isValid()
          ? new ParentSpan(sc.getTraceId(), sc.getSpanId(), sc.getTraceFlags().asByte(), sc.isRemote(), conversation,
              user, tags)
          : new ParentSpan(TraceId.getInvalid(), SpanId.getInvalid(), (byte) 0, false, conversation, user, tags);
    } catch (Throwable t) {
      return null;
    }
  }

  /** The tags under {@link #TAGS_KEY}, comma-separated (the value cut like an id), at most {@link #MAX_TAGS}. */
  private static List<String> tags(Baggage baggage) {
    String value = first(baggage, new String[] {TAGS_KEY});
    if (value == null) return null;
    List<String> tags = new ArrayList<>();
    for (String tag : value.split(",")) {
      String t = tag.trim();
      if (!t.isEmpty() && tags.size() < MAX_TAGS) tags.add(t);
    }
    return tags.isEmpty() ? null : tags;
  }

  private static String first(Baggage baggage, String[] keys) {
    if (baggage.isEmpty()) return null;
    for (String key : keys) {
      String value = baggage.getEntryValue(key);
      if (value != null && !value.isEmpty()) {
        return value.length() > MAX_CONVERSATION_ID_CHARS ? value.substring(0, MAX_CONVERSATION_ID_CHARS) : value;
      }
    }
    return null;
  }
}
