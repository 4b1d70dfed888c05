package dev.llmotel.agent.installer;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmotel.hook.HookInstrumentation;
import java.io.File;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Woven classes on disk: used only for exactly the class file and hooks they were woven from, else a miss. */
class WeaveCacheTest {
  @TempDir Path temp;
  private Path base;
  private File jar;

  private static final byte[] CLASS_FILE = "a class file".getBytes(StandardCharsets.UTF_8);
  private static final byte[] WOVEN = "the woven class".getBytes(StandardCharsets.UTF_8);

  @BeforeEach
  void agentJar() throws Exception {
    base = temp.resolve("cache");
    jar = temp.resolve("agent.jar").toFile();
    Files.write(jar.toPath(), new byte[] {1, 2, 3});
  }

  private WeaveCache open() {
    return WeaveCache.open(base, true, jar, "1.0");
  }

  private static boolean posix(Path p) {
    return Files.getFileAttributeView(p, PosixFileAttributeView.class) != null;
  }

  private List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.collect(Collectors.toList());
    }
  }

  @Test
  void anEntryIsFoundForTheSameClassFileAndHooksOnly() {
    WeaveCache cache = open();
    assertNotNull(cache);
    assertNull(cache.find("a/B", "okhttp", CLASS_FILE), "nothing stored yet");
    cache.store("a/B", "okhttp", CLASS_FILE, WOVEN);
    assertArrayEquals(WOVEN, cache.find("a/B", "okhttp", CLASS_FILE));
    assertArrayEquals(WOVEN, open().find("a/B", "okhttp", CLASS_FILE), "by the next run too");
    assertNull(cache.find("a/B", "okhttp,okhttp-websocket,", CLASS_FILE), "other hooks");
    byte[] other = CLASS_FILE.clone();
    other[3] ^= 1;
    assertNull(cache.find("a/B", "okhttp", other), "another class file of the same length");
    assertNull(cache.find("a/B", "okhttp", Arrays.copyOf(CLASS_FILE, CLASS_FILE.length + 1)), "another length");
  }

  @Test
  void anEntryUnderTheRightNameButFromAnotherClassFileIsAMiss() throws Exception {
    // what a CRC collision would look like: the file name matches, the class file inside does not
    WeaveCache cache = open();
    byte[] other = CLASS_FILE.clone();
    other[0] ^= 1;
    Files.write(cache.directory().resolve(WeaveCache.entryName("a/B", CLASS_FILE)),
        WeaveCache.encode("okhttp", other, WOVEN));
    assertNull(cache.find("a/B", "okhttp", CLASS_FILE));
    Files.write(cache.directory().resolve(WeaveCache.entryName("a/B", CLASS_FILE)),
        WeaveCache.encode("okhttp", CLASS_FILE, WOVEN));
    assertArrayEquals(WOVEN, cache.find("a/B", "okhttp", CLASS_FILE), "the same entry with the right class file");
  }

  @Test
  void aClassLeftAsItIsIsRecordedAsSuch() {
    WeaveCache cache = open();
    cache.store("a/B", "okhttp", CLASS_FILE, WeaveCache.LEFT_AS_IS);
    byte[] found = cache.find("a/B", "okhttp", CLASS_FILE);
    assertNotNull(found);
    assertEquals(0, found.length);
  }

  @Test
  void aDamagedEntryIsAMissNeverAnError() throws Exception {
    WeaveCache cache = open();
    cache.store("a/B", "okhttp", CLASS_FILE, WOVEN);
    Path entry = cache.directory().resolve(WeaveCache.entryName("a/B", CLASS_FILE));
    byte[] good = Files.readAllBytes(entry);
    for (int i = 0; i < good.length; i++) { // every single flipped bit is caught by the checksum or the comparison
      byte[] bad = good.clone();
      bad[i] ^= 0x10;
      Files.write(entry, bad);
      assertNull(cache.find("a/B", "okhttp", CLASS_FILE), "byte " + i + " damaged");
    }
    for (int length : new int[] {0, 1, 7, 20, good.length / 2, good.length - 1}) {
      Files.write(entry, Arrays.copyOf(good, length));
      assertNull(cache.find("a/B", "okhttp", CLASS_FILE), "cut to " + length);
    }
    Files.write(entry, "not an entry at all, just some text".getBytes(StandardCharsets.UTF_8));
    assertNull(cache.find("a/B", "okhttp", CLASS_FILE));
    Files.delete(entry);
    Files.createDirectory(entry);
    assertNull(cache.find("a/B", "okhttp", CLASS_FILE), "a directory in its place");
  }

  @Test
  void entriesAreMovedIntoPlaceWithNoTemporaryFileLeft() throws Exception {
    WeaveCache cache = open();
    cache.store("a/B", "okhttp", CLASS_FILE, WOVEN);
    cache.store("a/B", "okhttp", CLASS_FILE, WOVEN); // replaced
    cache.store("a/C", "okhttp", CLASS_FILE, WOVEN);
    List<String> names = files(cache.directory()).stream().map(p -> p.getFileName().toString()).sorted()
        .collect(Collectors.toList());
    assertEquals(Arrays.asList(WeaveCache.entryName("a/B", CLASS_FILE), WeaveCache.entryName("a/C", CLASS_FILE)),
        names);
  }

  @Test
  void eachAgentJarHasItsOwnDirectory() throws Exception {
    WeaveCache first = open();
    first.store("a/B", "okhttp", CLASS_FILE, WOVEN);
    Files.write(jar.toPath(), new byte[] {1, 2, 3, 4}); // a rebuilt agent
    WeaveCache rebuilt = open();
    assertFalse(first.directory().equals(rebuilt.directory()));
    assertNull(rebuilt.find("a/B", "okhttp", CLASS_FILE), "nothing woven by another agent is used");
    assertNotNull(first.find("a/B", "okhttp", CLASS_FILE), "a recent one's entries are kept");
    assertNull(WeaveCache.open(base, true, temp.resolve("missing.jar").toFile(), "1.0"), "no jar: no cache");
  }

  @Test
  void olderAgentsDirectoriesAreRemovedAfterThirtyDaysAndNothingElse() throws Exception {
    WeaveCache old = open();
    old.store("a/B", "okhttp", CLASS_FILE, WOVEN);
    Path someoneElses = Files.createDirectories(temp.resolve("elsewhere"));
    Files.write(someoneElses.resolve("keep.woven"), new byte[] {1});
    Path link = base.resolve("a-link");
    boolean linked;
    try {
      Files.createSymbolicLink(link, someoneElses);
      linked = true;
    } catch (Exception unsupported) {
      linked = false;
    }
    Path recent = Files.createDirectories(base.resolve("0.9-recent"));
    Path mixed = Files.createDirectories(base.resolve("0.8-mixed"));
    Files.write(mixed.resolve("notes.txt"), new byte[] {1});
    Files.write(mixed.resolve("x.woven"), new byte[] {1});
    FileTime longAgo = FileTime.fromMillis(System.currentTimeMillis() - TimeUnit.DAYS.toMillis(40));
    for (Path p : new Path[] {old.directory(), mixed, someoneElses}) Files.setLastModifiedTime(p, longAgo);

    Files.write(jar.toPath(), new byte[] {9}); // a new agent: its directory is made, stale ones go
    WeaveCache current = open();
    assertNotNull(current);
    assertFalse(Files.exists(old.directory()), "the old agent's directory");
    assertTrue(Files.isDirectory(recent), "a recently used one");
    assertTrue(Files.exists(mixed.resolve("notes.txt")) && !Files.exists(mixed.resolve("x.woven")),
        "only the cache's own files are removed");
    if (linked) assertTrue(Files.exists(someoneElses.resolve("keep.woven")), "never through a link");
  }

  @Test
  void aDirectoryOthersCanWriteToIsRefused() throws Exception {
    assumeTrue(posix(temp), "POSIX permissions only");
    Files.createDirectories(base);
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertNull(open(), "base writable by all");
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx------"));
    WeaveCache cache = open();
    assertNotNull(cache);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.directory())),
        "created readable by the user alone");
    Files.setPosixFilePermissions(cache.directory(), PosixFilePermissions.fromString("rwxrwx---"));
    assertNull(open(), "the agent's directory writable by the group");
  }

  @Test
  void anUnusableDirectoryTurnsTheCacheOff() throws Exception {
    Path file = Files.write(temp.resolve("a-file"), new byte[] {1});
    assertNull(WeaveCache.open(file, true, jar, "1.0"), "a file where the directory should be");
  }

  @Test
  void noMoreThanMaxEntriesAreWritten() throws Exception {
    WeaveCache cache = open();
    for (int i = 0; i < WeaveCache.MAX_ENTRIES; i++) {
      Files.write(cache.directory().resolve("filler" + i + ".woven"), new byte[] {1});
    }
    cache.store("a/B", "okhttp", CLASS_FILE, WOVEN);
    assertNull(cache.find("a/B", "okhttp", CLASS_FILE));
  }

  @Test
  void theDefaultDirectoryIsTheUsersCacheDirectory() {
    assertEquals(Paths.get("/x/cache", "llm-otel-agent"), WeaveCache.defaultBase("/x/cache", "/home/u"));
    assertEquals(Paths.get("/home/u", ".cache", "llm-otel-agent"), WeaveCache.defaultBase(null, "/home/u"));
    assertEquals(Paths.get("/home/u", ".cache", "llm-otel-agent"), WeaveCache.defaultBase("relative", "/home/u"),
        "XDG_CACHE_HOME must be absolute");
    assertNull(WeaveCache.defaultBase(null, "?"), "no home (a container's unknown user)");
    assertNull(WeaveCache.defaultBase(" ", ""));
  }

  @Test
  void entryNamesAreSafeFileNames() {
    String name = WeaveCache.entryName("okhttp3/OkHttpClient$Builder", CLASS_FILE);
    assertTrue(name.startsWith("okhttp3.OkHttpClient$Builder-") && name.endsWith(".woven"), name);
    assertTrue(WeaveCache.entryName("a/../../b:c\\d", CLASS_FILE).matches("[A-Za-z0-9._$-]+"));
  }

  // --- through the transformer --------------------------------------------------------------------------------

  static final class Known {
    void execute() {}
  }

  static final class Changed {
    void run() {}
  }

  public static final class NoOpAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter() {}
  }

  private static HookInstrumentation hookOn(Class<?> target) {
    return new HookInstrumentation() {
      @Override public String name() { return "test-hook"; }
      @Override public String[] typeNames() { return new String[] {target.getName()}; }
      @Override public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Collections.<ElementMatcher<? super MethodDescription>, String>singletonMap(named("execute"),
            NoOpAdvice.class.getName());
      }
      @Override public String[] helperPackages() { return new String[0]; }
      @Override public void install() {}
    };
  }

  private static byte[] classFile(Class<?> type) throws Exception {
    try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  private static Instrumentation noInstrumentation() {
    return (Instrumentation) Proxy.newProxyInstance(Instrumentation.class.getClassLoader(),
        new Class<?>[] {Instrumentation.class}, (proxy, method, args) -> {
          if (method.getReturnType() == Class[].class) return new Class<?>[0];
          if (method.getReturnType() == boolean.class) return false;
          return null;
        });
  }

  private HookTransformers transformers(Class<?> target, boolean cached) {
    HookTransformers t = new HookTransformers(noInstrumentation(), cached ? this::open : null);
    t.install(Collections.singletonList(hookOn(target)));
    return t;
  }

  private static boolean weaverBuilt(HookTransformers t) throws Exception {
    Field weaver = HookTransformers.class.getDeclaredField("weaver");
    weaver.setAccessible(true);
    return weaver.get(t) != null;
  }

  private static byte[] transform(HookTransformers t, Class<?> type) throws Exception {
    ClassLoader appLoader = new ClassLoader(WeaveCacheTest.class.getClassLoader()) {};
    return t.transform(appLoader, type.getName().replace('.', '/'), null, null, classFile(type));
  }

  @Test
  void theNextRunGetsTheSameWovenBytesWithoutWeaving() throws Exception {
    byte[] woven = transform(transformers(Known.class, false), Known.class);
    assertNotNull(woven);
    HookTransformers firstRun = transformers(Known.class, true);
    assertArrayEquals(woven, transform(firstRun, Known.class), "woven as without a cache");
    assertTrue(weaverBuilt(firstRun));

    HookTransformers nextRun = transformers(Known.class, true);
    assertArrayEquals(woven, transform(nextRun, Known.class), "from the cache");
    assertFalse(weaverBuilt(nextRun), "no ByteBuddy needed");
  }

  @Test
  void aClassLeftAsItIsStaysSoWithoutWeavingNextTime() throws Exception {
    HookTransformers firstRun = transformers(Changed.class, true);
    assertNull(transform(firstRun, Changed.class));
    HookTransformers nextRun = transformers(Changed.class, true);
    assertNull(transform(nextRun, Changed.class), "left as it is");
    assertFalse(weaverBuilt(nextRun));
  }

  @Test
  void withTheCacheOffEveryRunWeaves() throws Exception {
    HookTransformers first = new HookTransformers(noInstrumentation(), () -> null);
    first.install(Collections.singletonList(hookOn(Known.class)));
    assertNotNull(transform(first, Known.class));
    HookTransformers next = new HookTransformers(noInstrumentation(), () -> {
      throw new IllegalStateException("cannot open");
    });
    next.install(Collections.singletonList(hookOn(Known.class)));
    assertNotNull(transform(next, Known.class), "an opener that fails is no cache, not an error");
    assertTrue(weaverBuilt(next));
    assertFalse(Files.exists(base));
  }
}
