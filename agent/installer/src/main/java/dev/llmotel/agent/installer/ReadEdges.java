package dev.llmotel.agent.installer;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.config.AgentLog;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * Named modules must read the bootstrap bridge's (unnamed) module for inlined advice to link. Through reflection on
 * {@code java.lang.Module} (the agent's bytecode is Java 8's; on Java 8 there are no modules and nothing is done), so a
 * class whose woven bytes come from the {@link WeaveCache} needs no ByteBuddy for it either.
 */
final class ReadEdges {
  private static final Method GET_MODULE;
  private static final Method IS_NAMED;
  private static final Method CAN_READ;
  private static final Method REDEFINE_MODULE;

  static {
    Method getModule = null;
    Method isNamed = null;
    Method canRead = null;
    Method redefine = null;
    try {
      Class<?> module = Class.forName("java.lang.Module");
      getModule = Class.class.getMethod("getModule");
      isNamed = module.getMethod("isNamed");
      canRead = module.getMethod("canRead", module);
      redefine = Instrumentation.class.getMethod("redefineModule", module, Set.class, Map.class, Map.class,
          Set.class, Map.class);
    } catch (Throwable java8) {
      getModule = null;
    }
    GET_MODULE = getModule;
    IS_NAMED = isNamed;
    CAN_READ = canRead;
    REDEFINE_MODULE = redefine;
  }

  private ReadEdges() {}

  /**
   * For a class being defined (not a Class yet): the module of an already-loaded class of the same package (its
   * superclass usually is), else nothing (unnamed modules read everything).
   */
  static void add(Instrumentation inst, ClassLoader loader, String typeName) {
    if (GET_MODULE == null) return;
    int dot = typeName.lastIndexOf('.');
    String pkg = typeName.substring(0, dot + 1);
    for (Class<?> c : inst.getInitiatedClasses(loader)) {
      String name = c.getName();
      if (name.lastIndexOf('.') == dot && name.startsWith(pkg)) {
        add(inst, c);
        return;
      }
    }
  }

  static void add(Instrumentation inst, Class<?> type) {
    if (GET_MODULE == null) return;
    try {
      Object module = GET_MODULE.invoke(type);
      Object bridge = GET_MODULE.invoke(Bridges.class);
      if (module == null || !(Boolean) IS_NAMED.invoke(module) || (Boolean) CAN_READ.invoke(module, bridge)) return;
      REDEFINE_MODULE.invoke(inst, module, Collections.singleton(bridge), Collections.emptyMap(),
          Collections.emptyMap(), Collections.emptySet(), Collections.emptyMap());
    } catch (Throwable t) {
      AgentLog.debug("could not add a read edge to the bridge for " + type.getName() + ": " + t);
    }
  }
}
