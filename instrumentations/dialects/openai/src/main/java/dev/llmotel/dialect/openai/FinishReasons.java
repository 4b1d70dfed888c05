package dev.llmotel.dialect.openai;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.wire.JsonValue;

/** Finish reasons per choice index, written to the facts in index order whenever one arrives. */
final class FinishReasons {
  private static final int MAX_CHOICES = 1024;
  private String[] byIndex = new String[1];
  private int count;

  /** Records the finish reasons of the retained choices of a {@code choices} array. */
  void collect(JsonValue choices, CallFacts facts) {
    boolean changed = false;
    for (int i = 0; i < choices.retainedSize(); i++) {
      JsonValue choice = choices.get(i);
      String reason = choice.path("finish_reason").asNonEmptyText();
      if (reason == null) continue;
      long index = choice.path("index").asLong(i);
      if (index < 0 || index >= MAX_CHOICES) continue;
      changed |= put((int) index, reason);
    }
    if (changed) write(facts);
  }

  boolean any() {
    return count > 0;
  }

  private boolean put(int index, String reason) {
    if (index >= byIndex.length) byIndex = java.util.Arrays.copyOf(byIndex, Math.max(index + 1, byIndex.length * 2));
    if (reason.equals(byIndex[index])) return false;
    if (byIndex[index] == null) count++;
    byIndex[index] = reason;
    return true;
  }

  private void write(CallFacts facts) {
    facts.response.finishReasons.clear();
    for (String reason : byIndex) facts.response.addFinishReason(reason);
  }
}
