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
  /** How far up the chain of open bridged spans an LLM call marks its ancestors. */
  static final int MAX_DEPTH = 8;
  private static final Map<String, Boolean> IDS = new ConcurrentHashMap<>();
  /** Open bridged span id → its parent's span id, while the span is open. */
  private static final Map<String, String> PARENTS = new ConcurrentHashMap<>();

  private LlmParents() {}

  /**
   * An LLM call began inside the span {@code spanId}, and so inside each of its open bridged ancestors: a framework's
   * GenAI span is not always the direct parent (Spring AI 1.x: its {@code gen_ai.client.operation} span, then
   * Spring's own HTTP client span, then the agent's). Only spans holding token counts act on it when they end.
   */
  static void noteParent(String spanId) {
    if (IDS.size() >= MAX) IDS.clear();
    String id = spanId;
    for (int depth = 0; id != null && depth < MAX_DEPTH; depth++) {
      IDS.put(id, Boolean.TRUE);
      id = PARENTS.get(id);
    }
  }

  /** A bridged span started under {@code parentId}. */
  static void linkParent(String spanId, String parentId) {
    if (PARENTS.size() >= MAX) PARENTS.clear();
    PARENTS.put(spanId, parentId);
  }

  /** A bridged span ended. */
  static void unlink(String spanId) {
    PARENTS.remove(spanId);
  }

  /** Whether an LLM call began inside the span {@code spanId}, forgetting it. */
  static boolean takeParent(String spanId) {
    return IDS.remove(spanId) != null;
  }
}
