package dev.llmotel.agent.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's implementation and bundled libraries (OpenTelemetry SDK, OkHttp for export, ByteBuddy, Jackson,
 * Kotlin) from {@code inst/} inside the agent jar, where classes are stored as {@code .classdata} so that no other
 * class loader can find them. Parent is the platform loader: the application's classes stay invisible to the agent,
 * and the agent's to the application.
 */
final class AgentClassLoader extends ClassLoader {
  static final String PREFIX = "inst/";

  static {
    registerAsParallelCapable();
  }

  private final JarFile jar;
  private final String jarUrl;
  private final ProtectionDomain domain;

  AgentClassLoader(JarFile jar, URL jarLocation, ClassLoader parent) {
    super(parent);
    this.jar = jar;
    this.jarUrl = "jar:" + jarLocation.toExternalForm() + "!/";
    this.domain = new ProtectionDomain(new CodeSource(jarLocation, (Certificate[]) null), null, this, null);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + ".classdata");
    if (entry == null) throw new ClassNotFoundException(name);
    byte[] bytes;
    try (InputStream in = jar.getInputStream(entry)) {
      bytes = read(in, entry.getSize());
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
    definePackageOf(name);
    return defineClass(name, bytes, 0, bytes.length, domain);
  }

  private void definePackageOf(String className) {
    int dot = className.lastIndexOf('.');
    if (dot <= 0) return;
    String pkg = className.substring(0, dot);
    synchronized (this) {
      if (getPackage(pkg) == null) {
        try {
          definePackage(pkg, null, null, null, "llm-otel-agent", implementationVersion(), null, null);
        } catch (IllegalArgumentException alreadyDefined) {
          // another thread won
        }
      }
    }
  }

  private String implementationVersion() {
    try {
      return jar.getManifest() == null ? null
          : jar.getManifest().getMainAttributes().getValue("Implementation-Version");
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  protected URL findResource(String name) {
    String entryName = PREFIX + (name.endsWith(".class") ? name + "data" : name);
    if (jar.getJarEntry(entryName) == null) return null;
    try {
      return new URL(jarUrl + entryName);
    } catch (MalformedURLException e) {
      return null;
    }
  }

  /** Where {@link java.util.ServiceLoader} looks for a service's providers by resource. */
  static final String SERVICES = "META-INF/services/";

  /**
   * A service file ({@code META-INF/services/...}) comes from the agent's jar alone on Java 9+. The parent (the platform
   * loader) holds JDK modules, which name their providers in their module descriptors, found by
   * {@code ServiceLoader} without any resource; asking it for a service file walks every platform module's image for
   * nothing: 20-25 ms the first time in a JVM (its module readers opened), then 0.3-1 ms a lookup, and the agent and
   * its SDK's autoconfigure look up dozens of services while the application starts. Other resources are looked up
   * as any class loader does, parent first.
   */
  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    if (PARENT_HOLDS_MODULES && name.startsWith(SERVICES)) return findResources(name);
    return super.getResources(name);
  }

  /**
   * Java 9+, where the parent is the platform loader. On Java 8 it is the extension loader, whose jars
   * ({@code jre/lib/ext}: the DNS name service, script engines, the user's own) do list providers in service files,
   * and a thread whose context loader is the agent's may be the first to look them up: there the parent is asked.
   */
  static final boolean PARENT_HOLDS_MODULES = modular();

  private static boolean modular() {
    try {
      return !System.getProperty("java.specification.version", "1.8").startsWith("1.");
    } catch (RuntimeException refused) {
      return false; // a security manager: as on Java 8, nothing skipped
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null ? Collections.<URL>emptyEnumeration() : Collections.enumeration(Collections.singleton(url));
  }

  @Override
  public InputStream getResourceAsStream(String name) {
    String entryName = PREFIX + (name.endsWith(".class") ? name + "data" : name);
    JarEntry entry = jar.getJarEntry(entryName);
    if (entry != null) {
      try {
        return jar.getInputStream(entry);
      } catch (IOException e) {
        return null;
      }
    }
    return super.getResourceAsStream(name);
  }

  /**
   * A class file at the jar's root, outside {@code inst/} (the launcher's and the bridge's), by binary name; null when
   * the jar has none. Read through this loader's open jar: no second open, no walk over the jar's entries.
   */
  byte[] rootClassFile(String binaryName) throws IOException {
    JarEntry entry = jar.getJarEntry(binaryName.replace('.', '/') + ".class");
    if (entry == null) return null;
    try (InputStream in = jar.getInputStream(entry)) {
      return read(in, entry.getSize());
    }
  }

  /**
   * The entry's bytes, read straight into an array of the entry's size (the central directory records it): no growing
   * buffer, copy buffer or final copy per class. The agent defines about 2,000 classes, mostly while the application
   * starts, and every byte read here is garbage the moment the class is defined: before, each class cost three times
   * its size plus 8 KB of such garbage (a {@code ByteArrayOutputStream}, an 8 KB read buffer, the copy it returned).
   */
  /** Recorded sizes above this are read as if unknown (growing as the bytes come). */
  static final long MAX_TRUSTED_SIZE = 16L * 1024 * 1024;

  static byte[] read(InputStream in, long size) throws IOException {
    // a recorded size is trusted only up to what a class or resource of the agent can be (its largest is well under
    // 1 MB): a corrupt size near 2 GB must not become an OutOfMemoryError out of findClass
    if (size < 0 || size > MAX_TRUSTED_SIZE) return readUnknown(in);
    byte[] bytes = new byte[(int) size];
    int n = 0;
    while (n < bytes.length) {
      int r = in.read(bytes, n, bytes.length - n);
      if (r < 0) break;
      n += r;
    }
    if (n < bytes.length) return Arrays.copyOf(bytes, n); // shorter than recorded: what there is
    int extra = in.read();
    if (extra < 0) return bytes;
    // longer than recorded (not seen from a well-formed jar): read on rather than cut the class short
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 1024);
    out.write(bytes, 0, bytes.length);
    out.write(extra);
    byte[] buf = new byte[4096];
    for (int r; (r = in.read(buf)) != -1; ) out.write(buf, 0, r); // a 0-byte read is not the end
    return out.toByteArray();
  }

  private static byte[] readUnknown(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buf = new byte[8192];
    for (int n; (n = in.read(buf)) != -1; ) out.write(buf, 0, n); // a 0-byte read is not the end
    return out.toByteArray();
  }
}
