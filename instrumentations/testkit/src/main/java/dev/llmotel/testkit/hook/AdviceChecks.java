package dev.llmotel.testkit.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Checks on advice classes and woven classes, read as class files (ByteBuddy's ASM; the hook module has ByteBuddy).
 * Advice is inlined into the library's (or the JDK's) classes, so its code may name only JDK types and
 * {@code dev.llmotel.bootstrap} types: {@link #assertOnlyJdkAndBridgeTypes}. {@link #methodsCalling} finds which
 * methods of a woven class read a bridge slot.
 */
public final class AdviceChecks {
  private static final String BRIDGE = "dev/llmotel/bootstrap/";

  private AdviceChecks() {}

  /**
   * Fails unless each advice class's code names only {@code java/} and {@code dev/llmotel/bootstrap/} types, and
   * calls into {@code dev.llmotel.bootstrap.Bridges}.
   */
  public static void assertOnlyJdkAndBridgeTypes(Class<?>... advice) {
    assertOnlyJdkAndBridgeTypes(List.of(), advice);
  }

  /**
   * {@link #assertOnlyJdkAndBridgeTypes(Class[])}, also allowing types whose internal names start with one of
   * {@code alsoAllowed} (such as {@code sun/net/www/} for advice inlined into {@code java.base}).
   */
  public static void assertOnlyJdkAndBridgeTypes(List<String> alsoAllowed, Class<?>... advice) {
    assertTrue(advice.length > 0, "no advice class given");
    List<String> foreign = new ArrayList<>();
    for (Class<?> c : advice) {
      Set<String> referenced = codeReferences(classBytes(c));
      assertTrue(referenced.contains(BRIDGE + "Bridges"), c.getName() + " does not call the bridge: " + referenced);
      for (String name : referenced) {
        if (!name.startsWith("java/") && !name.startsWith(BRIDGE) && !startsWithAny(name, alsoAllowed)) {
          foreign.add(c.getSimpleName() + " -> " + name);
        }
      }
    }
    assertEquals(List.of(), foreign, "advice is inlined into the hooked library's classes: JDK and bridge types only");
  }

  /**
   * Internal names of every type a class names in code and signatures (what inlining copies): instructions, method,
   * field and local variable descriptors, caught types, constants, invokedynamic handles, supertypes. The constructor
   * and annotations are left out (never inlined; ByteBuddy reads {@code @Advice} annotations at weave time).
   */
  public static Set<String> codeReferences(byte[] classFile) {
    Set<String> names = new TreeSet<>();
    new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public void visit(int version, int access, String name, String signature, String superName,
          String[] interfaces) {
        if (superName != null) names.add(superName);
        if (interfaces != null) names.addAll(Arrays.asList(interfaces));
      }

      @Override
      public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
        addDescriptor(names, descriptor);
        return null;
      }

      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
          String[] exceptions) {
        if (name.equals("<init>")) return null;
        addDescriptor(names, descriptor);
        if (exceptions != null) names.addAll(Arrays.asList(exceptions));
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitTypeInsn(int opcode, String type) {
            addType(names, Type.getObjectType(type));
          }

          @Override
          public void visitFieldInsn(int opcode, String owner, String fieldName, String fieldDescriptor) {
            addType(names, Type.getObjectType(owner));
            addDescriptor(names, fieldDescriptor);
          }

          @Override
          public void visitMethodInsn(int opcode, String owner, String methodName, String methodDescriptor,
              boolean isInterface) {
            addType(names, Type.getObjectType(owner));
            addDescriptor(names, methodDescriptor);
          }

          @Override
          public void visitInvokeDynamicInsn(String indyName, String indyDescriptor, Handle bootstrap,
              Object... args) {
            names.add(bootstrap.getOwner());
            addDescriptor(names, indyDescriptor);
            for (Object arg : args) {
              if (arg instanceof Handle) names.add(((Handle) arg).getOwner());
              if (arg instanceof Type) addType(names, (Type) arg);
            }
          }

          @Override
          public void visitLdcInsn(Object value) {
            if (value instanceof Type) addType(names, (Type) value);
          }

          @Override
          public void visitMultiANewArrayInsn(String arrayDescriptor, int dims) {
            addDescriptor(names, arrayDescriptor);
          }

          @Override
          public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            if (type != null) names.add(type);
          }

          @Override
          public void visitLocalVariable(String localName, String localDescriptor, String localSignature,
              Label start, Label end, int index) {
            addDescriptor(names, localDescriptor);
          }
        };
      }
    }, 0);
    return names;
  }

  /**
   * Name + descriptor of each method of the class file that calls {@code owner.name} (internal owner name), in the
   * order they come; e.g. the methods of a woven class that read a bridge slot ({@code dev/llmotel/bootstrap/Bridges},
   * {@code callHook}).
   */
  public static List<String> methodsCalling(byte[] classFile, String owner, String name) {
    List<String> found = new ArrayList<>();
    new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String method, String descriptor, String signature,
          String[] exceptions) {
        String id = method + descriptor;
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitMethodInsn(int opcode, String o, String n, String d, boolean isInterface) {
            if (o.equals(owner) && n.equals(name) && !found.contains(id)) found.add(id);
          }
        };
      }
    }, 0);
    return found;
  }

  /** The class file of a class, as its loader has it. */
  public static byte[] classBytes(Class<?> c) {
    return classBytes(c, c.getName().substring(c.getName().lastIndexOf('.') + 1));
  }

  /**
   * The class file of the class {@code simpleBinaryName} ({@code Outer$Inner} for a nested one) in the package of
   * {@code neighbour}, read without loading that class.
   */
  public static byte[] classBytes(Class<?> neighbour, String simpleBinaryName) {
    try (InputStream in = neighbour.getResourceAsStream(simpleBinaryName + ".class")) {
      if (in == null) throw new IllegalArgumentException("no class file " + simpleBinaryName + " beside " + neighbour);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean startsWithAny(String name, List<String> prefixes) {
    for (String p : prefixes) {
      if (name.startsWith(p)) return true;
    }
    return false;
  }

  private static void addDescriptor(Set<String> names, String descriptor) {
    if (descriptor.startsWith("(")) {
      Type method = Type.getMethodType(descriptor);
      for (Type arg : method.getArgumentTypes()) addType(names, arg);
      addType(names, method.getReturnType());
    } else {
      addType(names, Type.getType(descriptor));
    }
  }

  private static void addType(Set<String> names, Type type) {
    Type t = type.getSort() == Type.ARRAY ? type.getElementType() : type;
    if (t.getSort() == Type.OBJECT) names.add(t.getInternalName());
    else if (t.getSort() == Type.METHOD) addDescriptor(names, t.getDescriptor());
  }
}
