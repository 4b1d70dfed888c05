package dev.llmotel.apibridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Advice is inlined into the application's classes: it may name JDK and bootstrap-bridge types only. */
class AdviceTest {
  private final OpenTelemetryApiInstrumentation instrumentation = new OpenTelemetryApiInstrumentation();

  @ParameterizedTest
  @ValueSource(classes = {GlobalOpenTelemetryAdvice.class, SpanContextKeyInitAdvice.class})
  void adviceCodeReferencesOnlyJdkAndBridgeTypes(Class<?> advice) throws IOException {
    TreeSet<String> referenced = referencedTypes(advice);
    referenced.remove(Type.getInternalName(advice));
    List<String> outside = new ArrayList<>();
    for (String type : referenced) {
      if (!type.startsWith("java/") && !type.startsWith("dev/llmotel/bootstrap/")) outside.add(type);
    }
    assertEquals(List.of(), outside, "advice " + advice.getName() + " references " + referenced);
    assertTrue(referenced.contains("dev/llmotel/bootstrap/Bridges"), "the advice does reach the bridge");
  }

  @ParameterizedTest
  @ValueSource(classes = {GlobalOpenTelemetryAdvice.class, SpanContextKeyInitAdvice.class})
  void adviceMethodsArePublicStaticExitAdviceThatSuppressesEverything(Class<?> advice) {
    int found = 0;
    for (Method m : advice.getDeclaredMethods()) {
      if (m.isSynthetic()) continue;
      assertTrue(Modifier.isStatic(m.getModifiers()) && Modifier.isPublic(m.getModifiers()), m.toString());
      net.bytebuddy.asm.Advice.OnMethodExit exit = m.getAnnotation(net.bytebuddy.asm.Advice.OnMethodExit.class);
      assertEquals(Throwable.class, exit.suppress());
      found++;
    }
    assertEquals(1, found);
  }

  @Test
  void matchersSelectGetAndGetOrNoopAndTheSpanContextKeyInitialiser() {
    TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(AdviceTest.class.getClassLoader()));
    TypeDescription global = pool.describe(OpenTelemetryApiInstrumentation.GLOBAL_OPEN_TELEMETRY).resolve();
    TypeDescription key = pool.describe(OpenTelemetryApiInstrumentation.SPAN_CONTEXT_KEY).resolve();
    Map<ElementMatcher<? super MethodDescription>, String> advice = instrumentation.advice();
    List<String> adviced = new ArrayList<>();
    for (TypeDescription type : List.of(global, key)) {
      List<MethodDescription> methods = new ArrayList<>(type.getDeclaredMethods());
      methods.add(new MethodDescription.Latent.TypeInitializer(type));
      for (MethodDescription m : methods) {
        for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : advice.entrySet()) {
          if (e.getKey().matches(m)) {
            adviced.add(type.getSimpleName() + "." + m.getInternalName() + " -> "
                + e.getValue().substring(e.getValue().lastIndexOf('.') + 1));
          }
        }
      }
    }
    // API 1.0.0 has get() but not yet getOrNoop(); a type initialiser of GlobalOpenTelemetry is not adviced.
    assertEquals(List.of("GlobalOpenTelemetry.get -> GlobalOpenTelemetryAdvice",
        "SpanContextKey.<clinit> -> SpanContextKeyInitAdvice"), adviced);
    assertEquals("opentelemetry-api", instrumentation.name());
    assertEquals(List.of(OpenTelemetryApiInstrumentation.GLOBAL_OPEN_TELEMETRY,
        OpenTelemetryApiInstrumentation.SPAN_CONTEXT_KEY), List.of(instrumentation.typeNames()));
    assertFalse(instrumentation.helperPackages()[0].isEmpty());
  }

  @Test
  void registeredAsAServiceAndHelpersAreOutsideTheAgentSidePackage() {
    java.util.ServiceLoader<dev.llmotel.hook.HookInstrumentation> loader =
        java.util.ServiceLoader.load(dev.llmotel.hook.HookInstrumentation.class);
    boolean found = false;
    for (dev.llmotel.hook.HookInstrumentation h : loader) found |= h instanceof OpenTelemetryApiInstrumentation;
    assertTrue(found);
    assertEquals(List.of("dev.llmotel.apibridge.helper."), List.of(instrumentation.helperPackages()));
  }

  /** Every type the class's code and signatures name (annotations excluded: they are not inlined). */
  static TreeSet<String> referencedTypes(Class<?> type) throws IOException {
    TreeSet<String> types = new TreeSet<>();
    try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
      new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
        @Override
        public void visit(int version, int access, String name, String signature, String superName,
            String[] interfaces) {
          if (superName != null) types.add(superName);
          if (interfaces != null) types.addAll(List.of(interfaces));
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
            String[] exceptions) {
          addMethodDescriptor(types, descriptor);
          return new MethodVisitor(Opcodes.ASM9) {
            @Override
            public void visitTypeInsn(int opcode, String t) {
              addInternal(types, t);
            }

            @Override
            public void visitFieldInsn(int opcode, String owner, String n, String desc) {
              addInternal(types, owner);
              addType(types, Type.getType(desc));
            }

            @Override
            public void visitMethodInsn(int opcode, String owner, String n, String desc, boolean itf) {
              addInternal(types, owner);
              addMethodDescriptor(types, desc);
            }

            @Override
            public void visitInvokeDynamicInsn(String n, String desc, Handle bsm, Object... args) {
              types.add("<invokedynamic>");
            }

            @Override
            public void visitLdcInsn(Object value) {
              if (value instanceof Type) addType(types, (Type) value);
            }

            @Override
            public void visitTryCatchBlock(Label start, Label end, Label handler, String t) {
              if (t != null) addInternal(types, t);
            }

            @Override
            public void visitLocalVariable(String n, String desc, String sig, Label start, Label end, int index) {
              addType(types, Type.getType(desc));
            }
          };
        }
      }, 0);
    }
    return types;
  }

  private static void addMethodDescriptor(TreeSet<String> types, String descriptor) {
    addType(types, Type.getReturnType(descriptor));
    for (Type t : Type.getArgumentTypes(descriptor)) addType(types, t);
  }

  private static void addInternal(TreeSet<String> types, String internalName) {
    addType(types, internalName.startsWith("[") ? Type.getType(internalName) : Type.getObjectType(internalName));
  }

  private static void addType(TreeSet<String> types, Type type) {
    if (type.getSort() == Type.ARRAY) type = type.getElementType();
    if (type.getSort() == Type.OBJECT) types.add(type.getInternalName());
  }
}
