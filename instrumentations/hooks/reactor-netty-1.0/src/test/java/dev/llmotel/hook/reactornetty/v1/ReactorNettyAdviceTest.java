package dev.llmotel.hook.reactornetty.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.hook.WovenHook;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/**
 * The advice and its matchers against the Reactor Netty classes on this run's class path (the newest served, or the
 * oldest claimed in the second surefire run): each doorway matches exactly its methods, the advice references JDK
 * and bridge types only, and the classes really are woven.
 */
class ReactorNettyAdviceTest {
  private final ReactorNettyInstrumentation instrumentation = new ReactorNettyInstrumentation();

  @Test
  void eachDoorwayMatchesExactlyItsMethods() {
    TypePool pool = TypePool.Default.WithLazyResolution.of(ClassFileLocator.ForClassLoader.of(getClass().getClassLoader()));
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put(SubscribeAdvice.class.getName(), 1);
    expected.put(ReceiveAdvice.class.getName(), 1);
    expected.put(DiscardAdvice.class.getName(), 1);
    for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : instrumentation.advice().entrySet()) {
      int matched = 0;
      List<String> where = new ArrayList<>();
      for (String name : instrumentation.typeNames()) {
        TypeDescription type = pool.describe(name).resolve();
        int n = type.getDeclaredMethods().filter(e.getKey()).size();
        if (n > 0) where.add(name + " x" + n);
        matched += n;
      }
      if (e.getValue().equals(OperationsAdvice.class.getName())) {
        assertTrue(matched >= 2, "HttpClientOperations constructors: " + where);
        assertEquals(1, where.size(), where.toString());
      } else {
        assertEquals(expected.get(e.getValue()), matched, e.getValue() + " matched " + where);
      }
    }
  }

  @Test
  void adviceCodeReferencesOnlyJdkAndBridgeTypes() throws IOException {
    for (Class<?> advice : List.of(SubscribeAdvice.class, OperationsAdvice.class, ReceiveAdvice.class,
        DiscardAdvice.class)) {
      Set<String> owners = codeReferences(advice);
      List<String> foreign = new ArrayList<>();
      for (String o : owners) {
        if (!o.startsWith("java/") && !o.startsWith("[Ljava/") && !o.startsWith("dev/llmotel/bootstrap/")) {
          foreign.add(o);
        }
      }
      assertTrue(owners.contains("dev/llmotel/bootstrap/Bridges"), advice + ": " + owners);
      assertEquals(List.of(), foreign, advice + " is inlined into Reactor Netty");
    }
  }

  @Test
  void theRealClassesAreWoven() throws Exception {
    WovenHook woven = WovenReactorNetty.install();
    for (String name : instrumentation.typeNames()) Class.forName(name, true, getClass().getClassLoader());
    assertEquals(List.of(), woven.failures());
    assertEquals(Set.of(instrumentation.typeNames()), woven.woven());
  }

  private static Set<String> codeReferences(Class<?> c) throws IOException {
    TreeSet<String> owners = new TreeSet<>();
    byte[] bytes;
    try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
      bytes = in.readAllBytes();
    }
    new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
          String[] exceptions) {
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
            owners.add(owner);
          }

          @Override
          public void visitTypeInsn(int opcode, String type) {
            owners.add(type);
          }

          @Override
          public void visitFieldInsn(int opcode, String owner, String n, String d) {
            owners.add(owner);
          }
        };
      }
    }, 0);
    return owners;
  }
}
