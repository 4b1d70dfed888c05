package dev.llmotel.agent.installer;

import dev.llmotel.config.AgentLog;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Defines the bridge's classes ({@code dev.llmotel.bootstrap}, which inlined advice in any class, JDK classes included,
 * must reach) directly in the bootstrap class loader.
 *
 * <p>The usual way, {@link Instrumentation#appendToBootstrapClassLoaderSearch}, makes the JVM print "Sharing is only
 * supported for boot loader classes because bootstrap classpath has been appended" on the application's stderr and
 * stop sharing the platform and application loaders' classes from the CDS archive. Defining the few classes there
 * instead does neither. It takes the JDK's internal {@code Unsafe.defineClass}: on Java 9+ its package is exported to
 * this agent's own class loader only (its unnamed module, which no application class is in), on Java 8 it is
 * {@code sun.misc.Unsafe}'s. When either is refused (a security manager, a JDK without it) the caller falls back to
 * appending the jar.
 */
public final class BootstrapBridge {
  private BootstrapBridge() {}

  /**
   * Called by the launcher, through reflection, before anything of the agent refers to a bridge class.
   *
   * @param classes binary name to class file, of every bridge class
   * @return whether every class is now defined in the bootstrap loader (false: nothing may be relied on; the caller
   *     appends the jar, which serves what is not defined)
   */
  public static boolean define(Instrumentation inst, Map<String, byte[]> classes) {
    try {
      Method define = unsafeDefineClass(inst);
      Object unsafe = unsafe(define.getDeclaringClass());
      List<Map.Entry<String, byte[]>> pending = new ArrayList<>(classes.entrySet());
      // a class whose supertype is not defined yet fails to link: it is tried again after the others
      while (!pending.isEmpty()) {
        int before = pending.size();
        Throwable failed = null;
        for (Iterator<Map.Entry<String, byte[]>> it = pending.iterator(); it.hasNext(); ) {
          Map.Entry<String, byte[]> c = it.next();
          try {
            define.invoke(unsafe, c.getKey(), c.getValue(), 0, c.getValue().length, null, null);
            it.remove();
          } catch (InvocationTargetException e) {
            if (!(e.getCause() instanceof NoClassDefFoundError)) throw e.getCause();
            failed = e.getCause();
          }
        }
        if (pending.size() == before) throw failed;
      }
      return true;
    } catch (Throwable t) {
      AgentLog.debug("bridge classes not defined in the bootstrap loader directly (" + t
          + "): the agent jar is appended to the bootstrap search path instead");
      return false;
    }
  }

  /** {@code Unsafe.defineClass(String, byte[], int, int, ClassLoader, ProtectionDomain)}, made callable from here. */
  private static Method unsafeDefineClass(Instrumentation inst) throws Exception {
    Class<?> moduleClass;
    try {
      moduleClass = Class.forName("java.lang.Module");
    } catch (ClassNotFoundException java8) {
      return Class.forName("sun.misc.Unsafe").getMethod("defineClass", String.class, byte[].class, int.class,
          int.class, ClassLoader.class, ProtectionDomain.class);
    }
    Method getModule = Class.class.getMethod("getModule");
    Object javaBase = getModule.invoke(Object.class);
    Object ours = getModule.invoke(BootstrapBridge.class);
    Instrumentation.class.getMethod("redefineModule", moduleClass, java.util.Set.class, Map.class, Map.class,
        java.util.Set.class, Map.class).invoke(inst, javaBase, Collections.emptySet(),
        Collections.singletonMap("jdk.internal.misc", Collections.singleton(ours)), Collections.emptyMap(),
        Collections.emptySet(), Collections.emptyMap());
    return Class.forName("jdk.internal.misc.Unsafe").getMethod("defineClass", String.class, byte[].class,
        int.class, int.class, ClassLoader.class, ProtectionDomain.class);
  }

  private static Object unsafe(Class<?> type) throws Exception {
    if (type.getName().equals("jdk.internal.misc.Unsafe")) return type.getMethod("getUnsafe").invoke(null);
    Field theUnsafe = type.getDeclaredField("theUnsafe"); // sun.misc.Unsafe.getUnsafe() refuses non-boot callers
    theUnsafe.setAccessible(true);
    return theUnsafe.get(null);
  }
}
