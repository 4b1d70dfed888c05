package dev.llmotel.hook.vertx.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * The hook points exist in the Vert.x on this class path (4.5 in this module, 5.0 in vertx-5-tests): every advice
 * matches the methods it is meant for, no more; and the advice code inlined into Vert.x uses only JDK and bridge types.
 */
class VertxAdviceTest {
  private final VertxHttpClientInstrumentation instrumentation = new VertxHttpClientInstrumentation();

  @Test
  void theTestsRunOnTheVertxLineThisModuleClaims() {
    String expected = System.getProperty("vertx.line");
    String jar = HttpClient.class.getProtectionDomain().getCodeSource().getLocation().toString();
    assertTrue(expected != null && jar.contains("/vertx-core-" + expected + "."), jar + " for Vert.x " + expected);
  }

  @Test
  void everyAdviceMatchesItsMethodsInTheVertxOnTheClassPath() {
    TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(HttpClient.class.getClassLoader()));
    Map<String, List<String>> matched = new TreeMap<>();
    for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : instrumentation.advice().entrySet()) {
      String advice = e.getValue().substring(e.getValue().indexOf('$') + 1);
      List<String> methods = new ArrayList<>();
      for (String name : instrumentation.typeNames()) {
        TypeDescription type = pool.describe(name).resolve();
        for (MethodDescription m : type.getDeclaredMethods().filter(e.getKey())) {
          methods.add(type.getSimpleName() + "." + m.getName() + m.getParameters().asTypeList().asErasures());
        }
      }
      matched.put(advice, methods);
    }
    assertEquals(1, matched.get("Write").size(), matched.toString());
    assertEquals(1, matched.get("Response").size(), matched.toString());
    assertEquals(1, matched.get("Fail").size(), matched.toString());
    assertEquals(2, matched.get("Reset").size(), matched.toString());
    assertEquals(1, matched.get("Chunk").size(), matched.toString());
    assertEquals(1, matched.get("End").size(), matched.toString());
    assertEquals(1, matched.get("Requested").size(), matched.toString());
    List<String> close = matched.get("ConnectionClose");
    assertTrue(close.contains("ConnectionBase.close[]"), matched.toString());
    assertTrue(close.size() <= 2, matched.toString());
  }

  @Test
  void adviceCodeReferencesOnlyJdkAndBridgeTypes() throws IOException {
    TreeSet<String> owners = new TreeSet<>();
    for (Class<?> advice : VertxClientAdvice.class.getDeclaredClasses()) {
      new ClassReader(bytes(advice)).accept(new ClassVisitor(Opcodes.ASM9) {
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
    }
    List<String> foreign = new ArrayList<>();
    for (String o : owners) {
      if (!o.startsWith("java/") && !o.startsWith("[Ljava/") && !o.startsWith("dev/llmotel/bootstrap/")) foreign.add(o);
    }
    assertTrue(owners.contains("dev/llmotel/bootstrap/Bridges"), owners.toString());
    assertEquals(List.of(), foreign, "advice is inlined into Vert.x's classes");
  }

  private static byte[] bytes(Class<?> c) throws IOException {
    String name = c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class";
    try (InputStream in = c.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }
}
