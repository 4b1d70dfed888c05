package dev.llmotel.agent.installer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Test;

/** The bridge's classes defined straight into the bootstrap loader of this JVM, and the refusal the launcher handles. */
class BootstrapBridgeTest {
  private static int serial;

  /** A bridge-like pair, with names no other test uses: an interface and a class implementing it. */
  private static Map<String, byte[]> pair(String prefix) {
    String name = "dev.llmotel.test.bootbridge." + prefix + (++serial) + "_" + System.nanoTime();
    byte[] hook = new ByteBuddy().makeInterface().name(name + "Hook").make().getBytes();
    byte[] slots = new ByteBuddy().subclass(Object.class).name(name + "Slots")
        .implement(new ByteBuddy().makeInterface().name(name + "Hook").make()
            .load(BootstrapBridgeTest.class.getClassLoader()).getLoaded())
        .make().getBytes();
    Map<String, byte[]> classes = new LinkedHashMap<>();
    classes.put(name + "Slots", slots); // before its interface: defined only on the second round
    classes.put(name + "Hook", hook);
    return classes;
  }

  @Test
  void definesEveryClassInTheBootstrapLoaderSupertypesFirst() throws Exception {
    Map<String, byte[]> classes = pair("Defined");
    assertTrue(BootstrapBridge.define(ByteBuddyAgent.install(), classes));
    String[] names = classes.keySet().toArray(new String[0]);
    Class<?> slots = Class.forName(names[0], false, null);
    Class<?> hook = Class.forName(names[1], false, null);
    assertNull(slots.getClassLoader());
    assertNull(hook.getClassLoader());
    // the interface it implements is the bootstrap loader's own, not the copy this test loaded to build it
    assertTrue(slots.getInterfaces()[0] == hook, "its interface: " + slots.getInterfaces()[0].getClassLoader());
  }

  @Test
  void refusedWhenTheJdkIsNotOpenedToTheAgent() {
    Map<String, byte[]> classes = pair("Refused");
    Instrumentation refusing = (Instrumentation) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Instrumentation.class}, (proxy, method, args) -> {
          throw new UnsupportedOperationException(method.getName() + " refused");
        });
    assertFalse(BootstrapBridge.define(refusing, classes));
    for (String name : classes.keySet()) {
      assertThrows(ClassNotFoundException.class, () -> Class.forName(name, false, null));
    }
  }

  @Test
  void aClassThatCannotLinkIsReported() {
    Map<String, byte[]> classes = pair("Orphan");
    classes.remove(classes.keySet().toArray(new String[0])[1]); // its interface is missing: it can never be defined
    assertFalse(BootstrapBridge.define(ByteBuddyAgent.install(), classes));
  }
}
