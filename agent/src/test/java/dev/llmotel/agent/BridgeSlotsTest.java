package dev.llmotel.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.hook.HookInstrumentation;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * Every hook the agent bundles fills bridge slots of its own: advice finds its hook by slot name, so a second hook
 * registering the same name silently replaces the first (two of them once did: each switched the other off). The
 * hooks are installed one by one, as the installer does; a slot another hook already filled must not change.
 */
class BridgeSlotsTest {
  @Test
  void noHookReplacesAnotherHooksSlot() throws Exception {
    Field field = Bridges.class.getDeclaredField("SLOTS");
    field.setAccessible(true);
    @SuppressWarnings("unchecked")
    Map<String, Object> slots = (Map<String, Object>) field.get(null);
    Map<String, String> owner = new HashMap<>();
    Map<String, Object> filled = new HashMap<>();
    List<String> clashes = new ArrayList<>();
    int hooks = 0;
    for (HookInstrumentation hook : ServiceLoader.load(HookInstrumentation.class)) {
      hooks++;
      String name = hook.getClass().getName();
      hook.install();
      
      for (Map.Entry<String, Object> slot : slots.entrySet()) {

        Object before = filled.get(slot.getKey());
        if (before == slot.getValue()) continue;
        if (before != null) clashes.add(slot.getKey() + ": " + owner.get(slot.getKey()) + " replaced by " + name);
        filled.put(slot.getKey(), slot.getValue());
        owner.put(slot.getKey(), name);
      }
      for (String slot : filled.keySet()) {
        if (!slots.containsKey(slot)) clashes.add(slot + ": " + owner.get(slot) + " emptied by " + name);
      }
    }
    assertTrue(hooks >= 12, "every bundled hook found: " + hooks);
    assertEquals(List.of(), clashes);
  }
}
