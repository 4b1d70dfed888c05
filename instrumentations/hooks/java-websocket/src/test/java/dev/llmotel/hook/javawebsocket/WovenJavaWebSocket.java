package dev.llmotel.hook.javawebsocket;

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
 * class path, {@code java.net.http} reading it, the hook's slots filled, and the JDK's WebSocket classes retransformed
 * with the advice. Once per JVM, before anything touches a bridge class.
 */
final class WovenJavaWebSocket {
  private static final List<String> WOVEN = new ArrayList<>();
  private static final List<Throwable> FAILURES = new ArrayList<>();
  private static boolean installed;

  private WovenJavaWebSocket() {}

  static synchronized void install() throws Exception {
    if (installed) return;
    Instrumentation inst = ByteBuddyAgent.install();
    inst.appendToBootstrapClassLoaderSearch(bridgeJar());
    Class<?> bridges = Class.forName("dev.llmotel.bootstrap.Bridges");
    if (bridges.getClassLoader() != null) throw new IllegalStateException("Bridges loaded before install()");
    JavaWebSocketInstrumentation hook = new JavaWebSocketInstrumentation();
    hook.install();
    inst.redefineModule(java.net.http.HttpClient.class.getModule(), Set.of(bridges.getModule()), Map.of(), Map.of(),
        Set.of(), Map.of());
    List<Class<?>> targets = new ArrayList<>();
    for (String name : hook.typeNames()) targets.add(Class.forName(name, false, ClassLoader.getPlatformClassLoader()));
    ClassFileTransformer weaver = new ClassFileTransformer() {
      @Override
      public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
          byte[] classFile) {
        if (redefined == null || !targets.contains(redefined)) return null;
        try {
          byte[] woven = weave(redefined.getName(), classFile, hook.advice());
          synchronized (WovenJavaWebSocket.class) {
            WOVEN.add(redefined.getName());
          }
          return woven;
        } catch (Throwable t) {
          synchronized (WovenJavaWebSocket.class) {
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

  static synchronized List<String> woven() {
    return new ArrayList<>(WOVEN);
  }

  private static byte[] weave(String typeName, byte[] classFile,
      Map<ElementMatcher<? super MethodDescription>, String> advice) {
    ClassFileLocator agent = ClassFileLocator.ForClassLoader.of(WovenJavaWebSocket.class.getClassLoader());
    ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(typeName, classFile),
        ClassFileLocator.ForClassLoader.of(ClassLoader.getPlatformClassLoader()), agent);
    TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
    DynamicType.Builder<?> builder = new ByteBuddy().with(TypeValidation.DISABLED)
        .decorate(pool.describe(typeName).resolve(), locator);
    for (Map.Entry<ElementMatcher<? super MethodDescription>, String> e : advice.entrySet()) {
      TypeDescription adviceType = pool.describe(e.getValue()).resolve();
      builder = builder.visit(Advice.to(adviceType, agent).on(e.getKey()));
    }
    return builder.make().getBytes();
  }

  /** The {@code dev.llmotel.bootstrap} classes of the test class path as a jar, found as resources (none loaded). */
  private static JarFile bridgeJar() throws IOException {
    URL url = ClassLoader.getSystemResource("dev/llmotel/bootstrap/Bridges.class");
    if (url == null) throw new IllegalStateException("dev.llmotel.bootstrap is not on the test class path");
    if ("jar".equals(url.getProtocol())) return ((JarURLConnection) url.openConnection()).getJarFile();
    Path dir;
    try {
      dir = Paths.get(url.toURI()).getParent();
    } catch (Exception e) {
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
