package dev.llmotel.testkit.hook;

import dev.llmotel.hook.AdviceWeaver;
import dev.llmotel.hook.HelperLoaders;
import dev.llmotel.hook.HookInstrumentation;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * A hook installed into this test JVM as the agent installs it, so a hook test runs against really advised code:
 * its bridge slots filled ({@link HookInstrumentation#install()}) and its advice inlined into the classes it names
 * by a class file transformer on ByteBuddy's self-attached {@link Instrumentation}, woven as the installer weaves
 * them ({@link #weave}). Once per JVM and hook class; {@link #woven()} names the classes really transformed.
 *
 * <ul>
 *   <li>{@link #intoLibrary}: a library's classes, woven when they load (those already loaded are retransformed);
 *       the hook's helper packages registered with {@link HelperLoaders}.
 *   <li>{@link #intoJdk}: JDK classes (already loaded, as in an application) retransformed, after the bridge
 *       ({@code dev.llmotel.bootstrap}) is put on the bootstrap class path and the JDK module made to read it. Call
 *       it before anything touches a bridge class (which must come from the bootstrap loader, not the test class
 *       path).
 * </ul>
 *
 * The module needs {@code byte-buddy-agent} (test scope); the testkit has it optional.
 */
public final class WovenHook {
  private static final Map<Class<?>, WovenHook> INSTALLED = new HashMap<>();

  private final Set<String> woven = ConcurrentHashMap.newKeySet();
  private final List<String> failures = new ArrayList<>();
  private Throwable firstFailure;

  private WovenHook() {}

  /**
   * Installs the hook (a new instance of {@code hookType}) and weaves its advice into the library classes it names,
   * as they load; those already loaded are retransformed. Once per JVM: later calls return the same result.
   */
  public static synchronized WovenHook intoLibrary(Class<? extends HookInstrumentation> hookType) {
    WovenHook done = INSTALLED.get(hookType);
    if (done != null) return done;
    WovenHook result = new WovenHook();
    INSTALLED.put(hookType, result);
    HookInstrumentation hook = newHook(hookType);
    HelperLoaders.registerHelperPackages(hook.helperPackages());
    hook.install();
    Set<String> names = ConcurrentHashMap.newKeySet();
    for (String name : hook.typeNames()) names.add(name.replace('.', '/'));
    Instrumentation inst = ByteBuddyAgent.install();
    inst.addTransformer(new ClassFileTransformer() {
      @Override
      public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
          byte[] classFile) {
        if (internalName == null || !names.contains(internalName)) return null;
        return result.weaveOrRecord(loader, internalName.replace('/', '.'), classFile, hook);
      }
    }, true);
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (names.contains(c.getName().replace('.', '/'))) loaded.add(c);
    }
    if (!loaded.isEmpty()) {
      try {
        inst.retransformClasses(loaded.toArray(new Class<?>[0]));
      } catch (Exception e) {
        throw new IllegalStateException("could not weave " + loaded, e);
      }
    }
    return result;
  }

  /**
   * Puts the bridge on the bootstrap class path, makes the module of {@code moduleMember} (a JDK class) read it,
   * installs the hook (a new instance of {@code hookType}) and retransforms the JDK classes it names, found through
   * {@code jdkLoader} ({@code null} for the bootstrap loader). Throws if any of them was not woven. Once per JVM
   * (after a success): later calls return the same result.
   */
  public static synchronized WovenHook intoJdk(Class<? extends HookInstrumentation> hookType, Class<?> moduleMember,
      ClassLoader jdkLoader) throws Exception {
    WovenHook done = INSTALLED.get(hookType);
    if (done != null) return done;
    Instrumentation inst = ByteBuddyAgent.install();
    inst.appendToBootstrapClassLoaderSearch(bridgeJar());
    Class<?> bridges = Class.forName("dev.llmotel.bootstrap.Bridges");
    for (String name : List.of("dev.llmotel.bootstrap.Bridges", "dev.llmotel.bootstrap.CallHook")) {
      ClassLoader loader = Class.forName(name).getClassLoader();
      if (loader != null) {
        throw new IllegalStateException(name + " was loaded from the test class path before the bootstrap path was "
            + "extended (a test touched it before WovenHook.intoJdk()): " + loader);
      }
    }
    HookInstrumentation hook = newHook(hookType);
    hook.install();
    inst.redefineModule(moduleMember.getModule(), Set.of(bridges.getModule()), Map.of(), Map.of(), Set.of(),
        Map.of());
    List<Class<?>> targets = new ArrayList<>();
    for (String name : hook.typeNames()) targets.add(Class.forName(name, false, jdkLoader));
    WovenHook result = new WovenHook();
    ClassFileTransformer weaver = new ClassFileTransformer() {
      @Override
      public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
          byte[] classFile) {
        if (redefined == null || !targets.contains(redefined)) return null;
        return result.weaveOrRecord(jdkLoader, redefined.getName(), classFile, hook);
      }
    };
    inst.addTransformer(weaver, true);
    try {
      inst.retransformClasses(targets.toArray(new Class<?>[0]));
    } finally {
      inst.removeTransformer(weaver);
    }
    result.throwIfFailed();
    if (result.woven.size() != targets.size()) {
      throw new IllegalStateException("woven: " + result.woven + " of " + targets);
    }
    INSTALLED.put(hookType, result);
    return result;
  }

  /** Binary names of the classes woven so far. */
  public Set<String> woven() {
    return Set.copyOf(woven);
  }

  /** The classes the transformer could not weave, each with what went wrong. */
  public List<String> failures() {
    synchronized (failures) {
      return List.copyOf(failures);
    }
  }

  /**
   * Loads the named classes through this class's loader (so that they are woven now) and throws if any class
   * could not be woven so far.
   */
  public WovenHook load(String... typeNames) throws ClassNotFoundException {
    for (String name : typeNames) Class.forName(name);
    throwIfFailed();
    return this;
  }

  /**
   * What the agent's installer does with a class a hook names: its own bytes first, then its loader's classes
   * ({@code null}: the bootstrap loader), then the advice from the test class path; each advice class inlined into
   * the methods its matcher selects, in one ASM pass ({@link AdviceWeaver}, as the installer weaves).
   */
  public static byte[] weave(ClassLoader loader, String typeName, byte[] classFile,
      Map<ElementMatcher<? super MethodDescription>, String> advice) {
    ClassFileLocator agent = ClassFileLocator.ForClassLoader.of(WovenHook.class.getClassLoader());
    ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(typeName, classFile),
        ClassFileLocator.ForClassLoader.of(loader), agent);
    TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
    TypeDescription type = pool.describe(typeName).resolve();
    MethodList<MethodDescription.InDefinedShape> methods = AdviceWeaver.advisableMethods(type);
    List<AsmVisitorWrapper> wrappers = new ArrayList<>();
    for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : advice.entrySet()) {
      wrappers.add(Advice.to(pool.describe(e.getValue()).resolve(), agent).on(e.getKey()));
    }
    return AdviceWeaver.weave(type, classFile, new AsmVisitorWrapper.Compound(wrappers), methods);
  }

  private byte[] weaveOrRecord(ClassLoader loader, String typeName, byte[] classFile, HookInstrumentation hook) {
    try {
      byte[] bytes = weave(loader, typeName, classFile, hook.advice());
      woven.add(typeName);
      return bytes;
    } catch (Throwable t) {
      synchronized (failures) {
        failures.add(typeName + ": " + t);
        if (firstFailure == null) firstFailure = t;
      }
      return null;
    }
  }

  private void throwIfFailed() {
    synchronized (failures) {
      if (!failures.isEmpty()) throw new IllegalStateException("not woven: " + failures, firstFailure);
    }
  }

  private static HookInstrumentation newHook(Class<? extends HookInstrumentation> hookType) {
    try {
      return hookType.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + hookType, e);
    }
  }

  /**
   * A jar of the {@code dev.llmotel.bootstrap} classes from the test class path (a directory in a reactor build, a
   * jar otherwise), found as resources so that none of them is loaded from there.
   */
  private static JarFile bridgeJar() throws IOException {
    URL url = ClassLoader.getSystemResource("dev/llmotel/bootstrap/Bridges.class");
    if (url == null) throw new IllegalStateException("dev.llmotel.bootstrap is not on the test class path");
    if ("jar".equals(url.getProtocol())) return ((JarURLConnection) url.openConnection()).getJarFile();
    Path dir;
    try {
      dir = Paths.get(url.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    Path root = dir.getParent().getParent().getParent();
    Path jar = Files.createTempFile("llm-otel-bootstrap", ".jar");
    jar.toFile().deleteOnExit();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (!file.toString().endsWith(".class")) continue;
        out.putNextEntry(new JarEntry(root.relativize(file).toString().replace('\\', '/')));
        try (InputStream in = Files.newInputStream(file)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
    return new JarFile(jar.toFile());
  }
}
