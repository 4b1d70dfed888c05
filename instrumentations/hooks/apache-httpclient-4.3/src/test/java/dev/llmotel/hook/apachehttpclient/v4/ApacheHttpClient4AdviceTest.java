package dev.llmotel.hook.apachehttpclient.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/** The advice and its matcher against the real HttpClient 4.5 classes, woven as the installer weaves them. */
class ApacheHttpClient4AdviceTest {
  private final ApacheHttpClient4Instrumentation instrumentation = new ApacheHttpClient4Instrumentation();

  @SuppressWarnings("unchecked")
  private ElementMatcher<? super MethodDescription> matcher() {
    return instrumentation.advice().keySet().iterator().next();
  }

  @Test
  void eachHookedClassHasExactlyOneMatchingDoExecuteWeavingReadsTheBridgeIn() throws Exception {
    for (String name : instrumentation.typeNames()) {
      ClassFileLocator locator = new ClassFileLocator.Compound(
          ClassFileLocator.ForClassLoader.of(getClass().getClassLoader()),
          ClassFileLocator.ForClassLoader.ofSystemLoader());
      TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
      TypeDescription type = pool.describe(name).resolve();
      assertEquals(1, type.getDeclaredMethods().filter(matcher()).size(), name);
      TypeDescription advice = pool.describe(ApacheHttpClient4Advice.class.getName()).resolve();
      byte[] woven = new ByteBuddy().with(TypeValidation.DISABLED).decorate(type, locator)
          .visit(Advice.to(advice, locator).on(matcher())).make().getBytes();
      List<String> readers = methodsCalling(woven, "dev/llmotel/bootstrap/Bridges", "callHook");
      assertEquals(1, readers.size(), name + ": " + readers);
      assertTrue(readers.get(0).startsWith("doExecute(Lorg/apache/http/HttpHost;Lorg/apache/http/HttpRequest;"
          + "Lorg/apache/http/protocol/HttpContext;)Lorg/apache/http/client/methods/CloseableHttpResponse;"),
          readers.toString());
    }
  }

  @Test
  void adviceCodeReferencesOnlyJdkAndBridgeTypes() throws IOException {
    TreeSet<String> owners = new TreeSet<>();
    new ClassReader(bytes(ApacheHttpClient4Advice.class)).accept(new ClassVisitor(Opcodes.ASM9) {
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
    List<String> foreign = new ArrayList<>();
    for (String o : owners) {
      if (!o.startsWith("java/") && !o.startsWith("[Ljava/") && !o.startsWith("dev/llmotel/bootstrap/")) foreign.add(o);
    }
    assertTrue(owners.contains("dev/llmotel/bootstrap/Bridges"), owners.toString());
    assertEquals(List.of(), foreign, "advice is inlined into the application's HttpClient");
  }

  private static byte[] bytes(Class<?> c) throws IOException {
    try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
      return in.readAllBytes();
    }
  }

  private static List<String> methodsCalling(byte[] classBytes, String owner, String method) {
    List<String> found = new ArrayList<>();
    new ClassReader(classBytes).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
          String[] exceptions) {
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitMethodInsn(int opcode, String o, String n, String d, boolean itf) {
            if (o.equals(owner) && n.equals(method) && !found.contains(name + descriptor)) found.add(name + descriptor);
          }
        };
      }
    }, 0);
    return found;
  }
}
