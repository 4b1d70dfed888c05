package dev.llmotel.hook;

import static net.bytebuddy.matcher.ElementMatchers.isDefaultFinalizer;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Applies ByteBuddy {@link net.bytebuddy.asm.Advice} (an {@link AsmVisitorWrapper}, as {@code Advice.to(..).on(..)}
 * returns) to a class file in one ASM pass: a {@link ClassReader} into a {@link ClassWriter} that shares its constant
 * pool (methods no advice matches are copied as they are), with the wrapper around the writer. The woven bytes are
 * those of {@code new ByteBuddy().decorate(type, locator).visit(wrapper).make()} (checked on some 20,000 class files,
 * JDK 17 and 25 modules, hook targets, class files of Java 1.1 to 25), without the builder, method graph,
 * method registry and type writer that decoration goes through: the method graph alone resolves every super type and
 * interface of the class from its loader, and building all of it loads some hundreds of ByteBuddy classes, which the
 * application thread that first loads a hooked class would otherwise pay for. Used by the agent's installer and by
 * the hook test kit, so that hook tests run the advice woven exactly as the agent weaves it.
 */
public final class AdviceWeaver {
  private AdviceWeaver() {}

  /**
   * The methods of {@code type} a wrapper may advise, as decoration hands them to it: the declared methods, less the
   * virtual synthetic ones (generic bridges) and a default finalizer, which ByteBuddy ignores by default; but with the
   * visibility bridges, which decoration's method graph names by the method they expose (a public class extending a
   * package-private one gets a bridge for each inherited public method: calls through the subclass go there).
   */
  public static MethodList<MethodDescription.InDefinedShape> advisableMethods(TypeDescription type) {
    MethodList<MethodDescription.InDefinedShape> declared = type.getDeclaredMethods();
    List<MethodDescription.InDefinedShape> advisable = new ArrayList<>(declared.size());
    for (MethodDescription.InDefinedShape m : declared) {
      boolean ignored = m.isVirtual() && (m.isSynthetic() || isDefaultFinalizer().matches(m));
      if (!ignored || isVisibilityBridge(m, declared)) advisable.add(m);
    }
    return new MethodList.Explicit<>(advisable);
  }

  /**
   * A bridge with no declared method of its name and arity it could bridge to: it calls the superclass's method of
   * the same signature (a generic bridge calls a method of the class itself, same name and arity, other types).
   */
  private static boolean isVisibilityBridge(MethodDescription bridge, MethodList<?> declared) {
    if (!bridge.isBridge()) return false;
    for (MethodDescription m : declared) {
      if (m != bridge && !m.isBridge() && m.getName().equals(bridge.getName())
          && m.getParameters().size() == bridge.getParameters().size()) {
        return false;
      }
    }
    return true;
  }

  /**
   * @param type the class being woven, as a type pool describes {@code classFile} (super types resolved lazily)
   * @param methods {@link #advisableMethods(TypeDescription)} of {@code type}
   * @return the woven class file
   */
  public static byte[] weave(TypeDescription type, byte[] classFile, AsmVisitorWrapper wrapper,
      MethodList<?> methods) {
    int writerFlags = wrapper.mergeWriter(AsmVisitorWrapper.NO_FLAGS);
    int readerFlags = wrapper.mergeReader(AsmVisitorWrapper.NO_FLAGS);
    ClassReader reader = OpenedClassReader.of(classFile);
    ClassWriter writer = new ClassWriter(reader, writerFlags) {
      @Override
      protected String getCommonSuperClass(String first, String second) {
        // only with COMPUTE_FRAMES, which Advice does not ask for; never load application classes from here
        throw new IllegalStateException("cannot compute frames for " + type.getName());
      }
    };
    reader.accept(new Decoration(writer, type, wrapper, methods, writerFlags, readerFlags), readerFlags);
    return writer.toByteArray();
  }

  /** Puts the wrapper around the writer once the class file's version is known (its frames depend on it). */
  private static final class Decoration extends ClassVisitor {
    private final TypeDescription type;
    private final AsmVisitorWrapper wrapper;
    private final MethodList<?> methods;
    private final int writerFlags;
    private final int readerFlags;

    Decoration(ClassVisitor writer, TypeDescription type, AsmVisitorWrapper wrapper, MethodList<?> methods,
        int writerFlags, int readerFlags) {
      super(OpenedClassReader.ASM_API, writer);
      this.type = type;
      this.wrapper = wrapper;
      this.methods = methods;
      this.writerFlags = writerFlags;
      this.readerFlags = readerFlags;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName,
        String[] interfaces) {
      ClassFileVersion classFileVersion = ClassFileVersion.ofMinorMajor(version);
      cv = wrapper.wrap(type, cv, new Context(type, classFileVersion), TypePool.Empty.INSTANCE,
          type.getDeclaredFields(), methods, writerFlags, readerFlags);
      cv.visit(version, access, name, signature, superName, interfaces);
    }
  }

  /**
   * Inlined advice registers nothing with its context (no auxiliary type, accessor or cached field): a disabled
   * context, with the frame generation decoration would use for this class file version.
   */
  private static final class Context extends Implementation.Context.Disabled {
    Context(TypeDescription type, ClassFileVersion version) {
      super(type, version, version.isAtLeast(ClassFileVersion.JAVA_V6) ? FrameGeneration.GENERATE
          : FrameGeneration.DISABLED);
    }
  }
}
