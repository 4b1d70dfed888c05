package dev.llmotel.bootstrap;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The slots through which inlined advice reaches the agent, one per hook point, named by the hook that owns it (a
 * compile-time constant of the hook's own module, e.g. {@code "okhttp-3.0/builder"}): a new hook registers its slot
 * without editing this class. A slot is empty until the agent has installed the hook; advice must treat an empty slot
 * as "do nothing". A look-up is one hash-map read.
 */
public final class Bridges {
  private static final ConcurrentHashMap<String, Object> SLOTS = new ConcurrentHashMap<>();

  private Bridges() {}

  /** Fills (or, with null, empties) a slot. */
  public static void register(String slot, Object hook) {
    if (hook == null) SLOTS.remove(slot);
    else SLOTS.put(slot, hook);
  }

  /** The slot's hook if it is a {@link CallHook}, else null. */
  public static CallHook callHook(String slot) {
    Object hook = SLOTS.get(slot);
    return hook instanceof CallHook ? (CallHook) hook : null;
  }

  /** The slot's hook if it is an {@link ObjectHook}, else null. */
  public static ObjectHook objectHook(String slot) {
    Object hook = SLOTS.get(slot);
    return hook instanceof ObjectHook ? (ObjectHook) hook : null;
  }

  /** The slot's hook if it is a {@link ValueHook}, else null. */
  public static ValueHook valueHook(String slot) {
    Object hook = SLOTS.get(slot);
    return hook instanceof ValueHook ? (ValueHook) hook : null;
  }
}
