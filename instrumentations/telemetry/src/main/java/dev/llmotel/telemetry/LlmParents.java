package dev.llmotel.telemetry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The spans inside which an LLM call began: when an SDK traces its own calls (anthropic-java's
 * {@code anthropic.messages.create}, recorded through the agent's bridge of the application's API), its span is the
 * parent of the agent's LLM span, and {@link SdkAppTracing} then keeps the SDK span's token counts off it, so that each
 * call's tokens are counted once, on the agent's span. Bounded: a span id is removed when its span ends, and the
 * whole set is dropped if it ever holds {@value #MAX} ids (parents that are never bridged spans, e.g. the
 * application's own SDK's, are never removed one by one).
 */
final class LlmParents {
  static final int MAX = 4096;
  private static final Map<String, Boolean> IDS = new ConcurrentHashMap<>();

  private LlmParents() {}

  /** An LLM call began inside the span {@code spanId}. */
  static void noteParent(String spanId) {
    if (IDS.size() >= MAX) IDS.clear();
    IDS.put(spanId, Boolean.TRUE);
  }

  /** Whether an LLM call began inside the span {@code spanId}, forgetting it. */
  static boolean takeParent(String spanId) {
    return IDS.remove(spanId) != null;
  }
}
