package dev.llmotel.hook.httpurlconnection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;

/** The advice's shape: what it may reference, and which methods of the running JDK it lands on. */
class HttpUrlConnectionAdviceTest {
  private static final List<Class<?>> ADVICE = List.of(ConnectAdvice.class, StreamAdvice.class,
      ErrorStreamAdvice.class, DisconnectAdvice.class, HttpsConnectAdvice.class);

  @Test
  void adviceCodeReferencesOnlyJdkAndBridgeTypes() throws IOException {
    List<String> foreign = new ArrayList<>();
    for (Class<?> advice : ADVICE) {
      Set<String> referenced = codeReferences(advice.getSimpleName());
      assertTrue(referenced.contains("dev/llmotel/bootstrap/Bridges"), advice + ": " + referenced);
      for (String name : referenced) {
        if (!name.startsWith("java/") && !name.startsWith("sun/net/www/")
            && !name.startsWith("dev/llmotel/bootstrap/")) {
          foreign.add(advice.getSimpleName() + " -> " + name);
        }
      }
    }
    assertEquals(List.of(), foreign, "advice is inlined into java.base");
  }

  @Test
  void theScanSeesForeignReferences() throws IOException {
    // by name: loading ConnectionHook here would load the bridge's CallHook from the test class path
    assertTrue(codeReferences("ConnectionHook").contains("dev/llmotel/hook/httpurlconnection/ObservedConnection"));
  }

  /** Every matcher finds exactly its methods in the running JDK's classes, and nothing else is matched. */
  @Test
  void matchersFindExactlyTheIntendedMethodsOfTheRunningJdk() throws Exception {
    HttpUrlConnectionInstrumentation hook = new HttpUrlConnectionInstrumentation();
    Map<String, List<String>> matched = new TreeMap<>();
    for (String typeName : hook.typeNames()) {
      TypeDescription type = TypeDescription.ForLoadedType.of(Class.forName(typeName, false, null));
      for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : hook.advice().entrySet()) {
        for (MethodDescription m : type.getDeclaredMethods().filter(e.getKey())) {
          matched.computeIfAbsent(e.getValue().substring(e.getValue().lastIndexOf('.') + 1), k -> new ArrayList<>())
              .add(type.getSimpleName() + "." + m.getName() + m.getDescriptor());
        }
      }
    }
    Map<String, List<String>> expected = new TreeMap<>();
    expected.put("ConnectAdvice",
        List.of("HttpURLConnection.connect()V", "HttpURLConnection.plainConnect()V"));
    expected.put("StreamAdvice", List.of("HttpURLConnection.getOutputStream()Ljava/io/OutputStream;",
        "HttpURLConnection.getInputStream()Ljava/io/InputStream;"));
    expected.put("ErrorStreamAdvice", List.of("HttpURLConnection.getErrorStream()Ljava/io/InputStream;"));
    expected.put("DisconnectAdvice", List.of("HttpURLConnection.disconnect()V"));
    expected.put("HttpsConnectAdvice", List.of("AbstractDelegateHttpsURLConnection.connect()V"));
    expected.replaceAll((advice, methods) -> methods.stream().sorted().toList());
    matched.replaceAll((advice, methods) -> methods.stream().sorted().toList());
    assertEquals(expected, matched);
  }

  /** The real JDK classes were retransformed with the advice (else the contract tests would test nothing). */
  @Test
  void theJdkClassesAreWoven() throws Exception {
    WovenJdk.install();
    assertEquals(List.of(HttpUrlConnectionInstrumentation.CONNECTION, HttpUrlConnectionInstrumentation.HTTPS_DELEGATE),
        WovenJdk.woven());
    assertEquals(null, Class.forName("dev.llmotel.bootstrap.Bridges").getClassLoader(),
        "the advice calls the bridge on the bootstrap class path");
  }

  /** Types the advice's code names (instructions and method signatures; annotations are never inlined). */
  static Set<String> codeReferences(String simpleName) throws IOException {
    byte[] bytes;
    try (InputStream in = HttpUrlConnectionAdviceTest.class.getResourceAsStream(simpleName + ".class")) {
      bytes = in.readAllBytes();
    }
    Set<String> names = new TreeSet<>();
    new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
          String[] exceptions) {
        if (name.equals("<init>")) return null; // never inlined
        add(names, Type.getMethodType(descriptor));
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitTypeInsn(int opcode, String t) {
            add(names, Type.getObjectType(t));
          }

          @Override
          public void visitFieldInsn(int opcode, String owner, String n, String d) {
            add(names, Type.getObjectType(owner));
            add(names, Type.getType(d));
          }

          @Override
          public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
            add(names, Type.getObjectType(owner));
            add(names, Type.getMethodType(d));
          }

          @Override
          public void visitLdcInsn(Object value) {
            if (value instanceof Type) add(names, (Type) value);
          }
        };
      }
    }, 0);
    return names;
  }

  private static void add(Set<String> names, Type type) {
    switch (type.getSort()) {
      case Type.METHOD:
        add(names, type.getReturnType());
        for (Type arg : type.getArgumentTypes()) add(names, arg);
        break;
      case Type.ARRAY:
        add(names, type.getElementType());
        break;
      case Type.OBJECT:
        names.add(type.getInternalName());
        break;
      default:
        break;
    }
  }
}
