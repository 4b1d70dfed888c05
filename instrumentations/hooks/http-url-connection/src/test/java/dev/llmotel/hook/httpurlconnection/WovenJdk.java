package dev.llmotel.hook.httpurlconnection;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * Puts this JVM where the agent puts an application's: the bridge ({@code dev.llmotel.bootstrap}) on the bootstrap
 * class path, java.base reading it, the hook installed in its slot, and the JDK's own connection classes
 * (already loaded, as in an application) retransformed with the advice, woven the way the installer's {@code
 * HookTransformers} weaves it. Once per JVM; every test that needs the real advice calls {@link #install()} first,
 * before anything touches a bridge class (which must come from the bootstrap loader, not the test class path).
 */
final class WovenJdk {
  private static final List<String> WOVEN = new ArrayList<>();
  private static final List<Throwable> FAILURES = new ArrayList<>();
  private static boolean installed;

  private WovenJdk() {}

  static synchronized void install() throws Exception {
    if (installed) return;
    Instrumentation inst = ByteBuddyAgent.install();
    inst.appendToBootstrapClassLoaderSearch(bridgeJar());
    Class<?> bridges = Class.forName("dev.llmotel.bootstrap.Bridges");
    for (String name : List.of("dev.llmotel.bootstrap.Bridges", "dev.llmotel.bootstrap.CallHook")) {
      ClassLoader loader = Class.forName(name).getClassLoader();
      if (loader != null) {
        throw new IllegalStateException(name + " was loaded from the test class path before the bootstrap path was "
            + "extended (a test touched it before WovenJdk.install()): " + loader);
      }
    }
    HttpUrlConnectionInstrumentation hook = new HttpUrlConnectionInstrumentation();
    hook.install();
    inst.redefineModule(Object.class.getModule(), Set.of(bridges.getModule()), Map.of(), Map.of(), Set.of(),
        Map.of());

    List<Class<?>> targets = new ArrayList<>();
    for (String name : hook.typeNames()) targets.add(Class.forName(name, false, null));
    ClassFileTransformer weaver = new ClassFileTransformer() {
      @Override
      public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
          byte[] classFile) {
        if (redefined == null || !targets.contains(redefined)) return null;
        try {
          byte[] woven = weave(redefined.getName(), classFile, hook.advice());
          synchronized (WovenJdk.class) {
            WOVEN.add(redefined.getName());
          }
          return woven;
        } catch (Throwable t) {
          synchronized (WovenJdk.class) {
            FAILURES.add(t);
          }
          return null;
        }
      }
    };
    inst.addTransformer(weaver, true);
    try {
      inst.retransformClasses(targets.toArray(new Class<?>[0]));
    } finally {
      inst.removeTransformer(weaver);
    }
    if (!FAILURES.isEmpty()) throw new IllegalStateException("weaving failed", FAILURES.get(0));
    if (WOVEN.size() != targets.size()) throw new IllegalStateException("woven: " + WOVEN + " of " + targets);
    installed = true;
  }

  /** The classes the advice was woven into. */
  static synchronized List<String> woven() {
    return Collections.unmodifiableList(new ArrayList<>(WOVEN));
  }

  /** As the installer: the class's own bytes, then the JDK's, then the advice from the test class path. */
  static byte[] weave(String typeName, byte[] classFile,
      Map<ElementMatcher<? super MethodDescription>, String> advice) {
    ClassFileLocator agent = ClassFileLocator.ForClassLoader.of(WovenJdk.class.getClassLoader());
    ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(typeName, classFile),
        ClassFileLocator.ForClassLoader.of(null), agent);
    TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
    DynamicType.Builder<?> builder = new ByteBuddy().with(TypeValidation.DISABLED)
        .decorate(pool.describe(typeName).resolve(), locator);
    for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : advice.entrySet()) {
      TypeDescription adviceType = pool.describe(e.getValue()).resolve();
      builder = builder.visit(Advice.to(adviceType, agent).on(e.getKey()));
    }
    return builder.make().getBytes();
  }

  /**
   * A jar of the {@code dev.llmotel.bootstrap} classes from the test class path (a directory in a reactor build, a
   * jar otherwise), found as resources so that none of them is loaded from there.
   */
  private static JarFile bridgeJar() throws IOException {
    URL url = ClassLoader.getSystemResource("dev/llmotel/bootstrap/Bridges.class");
    if (url == null) throw new IllegalStateException("dev.llmotel.bootstrap is not on the test class path");
    if ("jar".equals(url.getProtocol())) return ((JarURLConnection) url.openConnection()).getJarFile();
    Path dir = Paths.get(URI(url)).getParent();
    Path root = dir.getParent().getParent().getParent();
    Path jar = Files.createTempFile("llm-otel-bootstrap", ".jar");
    jar.toFile().deleteOnExit();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.list(dir)) {
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

  private static java.net.URI URI(URL url) {
    try {
      return url.toURI();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
