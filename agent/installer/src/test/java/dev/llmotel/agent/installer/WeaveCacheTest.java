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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    writeJar("advice v1");
  }

  /** The agent jar, with one entry whose content is {@code content}. */
  private void writeJar(String content) throws Exception {
    try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar.toPath()))) {
      out.putNextEntry(new java.util.zip.ZipEntry("dev/llmotel/Advice.class"));
      out.write(content.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
  }

  private WeaveCache open() {
    return WeaveCache.open(base, true, jar, "1.0");
  }

  /** Other class files as a loader reads them now: none were read by these weaves, unless a test puts some here. */
  private final Map<String, byte[]> loaderNow = new java.util.HashMap<>();
  private final WeaveCache.ClassFiles classFiles = loaderNow::get;
  private static final Map<String, byte[]> NONE = Collections.emptyMap();

  private byte[] find(WeaveCache cache, String name, String hooks, byte[] classFile) {
    return cache.find(name, hooks, classFile, classFiles);
  }

  private static boolean root() throws Exception {
    Path probe = Files.createTempFile("uid", ".tmp");
    try {
      return ((Number) Files.getAttribute(probe, "unix:uid")).intValue() == 0;
    } finally {
      Files.delete(probe);
    }
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
    assertNull(find(cache, "a/B", "okhttp", CLASS_FILE), "nothing stored yet");
    cache.store("a/B", "okhttp", CLASS_FILE, WOVEN, NONE);
    assertArrayEquals(WOVEN, find(cache, "a/B", "okhttp", CLASS_FILE));
    assertArrayEquals(WOVEN, find(open(), "a/B", "okhttp", CLASS_FILE), "by the next run too");
    assertNull(find(cache, "a/B", "okhttp,okhttp-websocket,", CLASS_FILE), "other hooks");
    byte[] other = CLASS_FILE.clone();
    other[3] ^= 1;
    assertNull(find(cache, "a/B", "okhttp", other), "another class file of the same length");
    assertNull(find(cache, "a/B", "okhttp", Arrays.copyOf(CLASS_FILE, CLASS_FILE.length + 1)), "another length");
  }

  @Test
  void anEntryUnderTheRightNameButFromAnotherClassFileIsAMiss() throws Exception {
    // what a CRC collision would look like: the file name matches, the class file inside does not
    WeaveCache cache = open();
    byte[] other = CLASS_FILE.clone();
    other[0] ^= 1;
    Files.write(cache.directory().resolve(WeaveCache.entryName("a/B", "okhttp", CLASS_FILE)),
        WeaveCache.encode("okhttp", other, WOVEN, NONE));
    assertNull(find(cache, "a/B", "okhttp", CLASS_FILE));
    Files.write(cache.directory().resolve(WeaveCache.entryName("a/B", "okhttp", CLASS_FILE)),
        WeaveCache.encode("okhttp", CLASS_FILE, WOVEN, NONE));
    assertArrayEquals(WOVEN, find(cache, "a/B", "okhttp", CLASS_FILE), "the same entry with the right class file");
  }

  @Test
  void aClassLeftAsItIsIsRecordedAsSuch() {
    WeaveCache cache = open();
    cache.store("a/B", "okhttp", CLASS_FILE, WeaveCache.LEFT_AS_IS, NONE);
    byte[] found = find(cache, "a/B", "okhttp", CLASS_FILE);
    assertNotNull(found);
    assertEquals(0, found.length);
  }

  @Test
  void aDamagedEntryIsAMissNeverAnError() throws Exception {
    WeaveCache cache = open();
    cache.store("a/B", "okhttp", CLASS_FILE, WOVEN, NONE);
    Path entry = cache.directory().resolve(WeaveCache.entryName("a/B", "okhttp", CLASS_FILE));
    byte[] good = Files.readAllBytes(entry);
    for (int i = 0; i < good.length; i++) { // every single flipped bit is caught by the checksum or the comparison
      byte[] bad = good.clone();
      bad[i] ^= 0x10;
      Files.write(entry, bad);
      assertNull(find(cache, "a/B", "okhttp", CLASS_FILE), "byte " + i + " damaged");
    }
    for (int length : new int[] {0, 1, 7, 20, good.length / 2, good.length - 1}) {
      Files.write(entry, Arrays.copyOf(good, length));
      assertNull(find(cache, "a/B", "okhttp", CLASS_FILE), "cut to " + length);
    }
    Files.write(entry, "not an entry at all, just some text".getBytes(StandardCharsets.UTF_8));
    assertNull(find(cache, "a/B", "okhttp", CLASS_FILE));
    Files.delete(entry);
    Files.createDirectory(entry);
    assertNull(find(cache, "a/B", "okhttp", CLASS_FILE), "a directory in its place");
  }

  @Test
  void entriesAreMovedIntoPlaceWithNoTemporaryFileLeft() throws Exception {
    WeaveCache cache = open();
    cache.store("a/B", "okhttp", CLASS_FILE, WOVEN, NONE);
    cache.store("a/B", "okhttp", CLASS_FILE, WOVEN, NONE); // replaced
    cache.store("a/C", "okhttp", CLASS_FILE, WOVEN, NONE);
    List<String> names = files(cache.directory()).stream().map(p -> p.getFileName().toString()).sorted()
        .collect(Collectors.toList());
    assertEquals(Arrays.asList(WeaveCache.MARKER, WeaveCache.entryName("a/B", "okhttp", CLASS_FILE),
        WeaveCache.entryName("a/C", "okhttp", CLASS_FILE)), names);
  }

  @Test
  void eachAgentJarHasItsOwnDirectory() throws Exception {
    WeaveCache first = open();
    first.store("a/B", "okhttp", CLASS_FILE, WOVEN, NONE);
    assertEquals(base.resolve(WeaveCache.FOLDER).toRealPath(), first.directory().getParent());
    long modified = jar.lastModified();
    writeJar("advice v2"); // another build: the same size, and (as a copy keeping time stamps would) the same time
    assertTrue(jar.setLastModified(modified));
    WeaveCache rebuilt = open();
    assertFalse(first.directory().equals(rebuilt.directory()), "another build, another folder");
    assertNull(find(rebuilt, "a/B", "okhttp", CLASS_FILE), "nothing woven by another agent is used");
    assertNotNull(find(first, "a/B", "okhttp", CLASS_FILE), "a recent one's entries are kept");
    writeJar("advice v1");
    assertEquals(first.directory(), open().directory(), "the same content, the same folder");
    assertNull(WeaveCache.open(base, true, temp.resolve("missing.jar").toFile(), "1.0"), "no jar: no cache");
  }

  @Test
  void theJarsIdentityComesFromItsCentralDirectoryOrItsEntries() throws Exception {
    assertNotNull(WeaveCache.centralDirectory(jar), "read as stored");
    String plain = WeaveCache.identity(jar);
    try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar.toPath()))) {
      out.setComment("a comment after the end record");
      out.putNextEntry(new java.util.zip.ZipEntry("dev/llmotel/Advice.class"));
      out.write("advice v1".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    assertNull(WeaveCache.centralDirectory(jar), "the end record is not at the end");
    byte[] zip = Files.readAllBytes(jar.toPath());
    byte[] withScript = new byte[zip.length + 10];
    System.arraycopy("#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII), 0, withScript, 0, 10);
    System.arraycopy(zip, 0, withScript, 10, zip.length);
    Path launcher = Files.write(temp.resolve("launcher.jar"), withScript);
    assertNull(WeaveCache.centralDirectory(launcher.toFile()), "offsets off by what was put before the zip");
    String commented = WeaveCache.identity(jar);
    try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar.toPath()))) {
      out.setComment("a comment after the end record");
      out.putNextEntry(new java.util.zip.ZipEntry("dev/llmotel/Advice.class"));
      out.write("advice v2".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    assertFalse(commented.equals(WeaveCache.identity(jar)), "entry by entry: another content, another identity");
    writeJar("advice v2");
    assertFalse(plain.equals(WeaveCache.identity(jar)));
    assertTrue(WeaveCache.identity(jar).matches("[0-9a-f]{16}"));
  }

  @Test
  void anEntryIsUsedOnlyWhileTheOtherClassFilesItsWeaveReadAreUnchanged() {
    WeaveCache cache = open();
    byte[] superclass = "the superclass, declaring a field the advice reads".getBytes(StandardCharsets.UTF_8);
    cache.store("a/B", "okhttp", CLASS_FILE, WOVEN, Collections.singletonMap("a.Super", superclass));
    assertNull(find(cache, "a/B", "okhttp", CLASS_FILE), "the loader cannot read it now");
    loaderNow.put("a.Super", superclass.clone());
    assertArrayEquals(WOVEN, find(cache, "a/B", "okhttp", CLASS_FILE), "unchanged");
    byte[] changed = superclass.clone();
    changed[4] ^= 1;
    loaderNow.put("a.Super", changed);
    assertNull(find(cache, "a/B", "okhttp", CLASS_FILE), "changed, same length");
    loaderNow.put("a.Super", Arrays.copyOf(superclass, superclass.length + 1));
    assertNull(find(cache, "a/B", "okhttp", CLASS_FILE), "changed length");
  }

  /** A folder as the cache names one for an agent jar, marked as its own, last used {@code daysAgo}. */
  private Path agentFolder(String name, boolean marked) throws Exception {
    Path folder = Files.createDirectories(base.resolve(WeaveCache.FOLDER).resolve(name));
    Files.write(folder.resolve("x.woven"), new byte[] {1});
    if (marked) Files.write(folder.resolve(WeaveCache.MARKER), new byte[0]);
    return folder;
  }

  private static void age(Path p, int days) throws Exception {
    Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - TimeUnit.DAYS.toMillis(days)));
  }

  @Test
  void olderAgentsFoldersAreRemovedAfterThirtyDaysAndNothingElse() throws Exception {
    WeaveCache old = open();
    old.store("a/B", "okhttp", CLASS_FILE, WOVEN, NONE);
    Path recent = agentFolder("0.9-00000000000000aa", true);
    Path unmarked = agentFolder("0.8-00000000000000bb", false);
    Path otherName = agentFolder("notes", true);
    Path someoneElses = Files.createDirectories(temp.resolve("elsewhere"));
    Files.write(someoneElses.resolve("keep.woven"), new byte[] {1});
    Files.write(someoneElses.resolve(WeaveCache.MARKER), new byte[0]);
    Path link = base.resolve(WeaveCache.FOLDER).resolve("0.7-00000000000000cc");
    boolean linked;
    try {
      Files.createSymbolicLink(link, someoneElses);
      linked = true;
    } catch (Exception unsupported) {
      linked = false;
    }
    for (Path p : new Path[] {old.directory(), unmarked, otherName, someoneElses}) {
      age(p, 40);
      if (Files.exists(p.resolve(WeaveCache.MARKER))) age(p.resolve(WeaveCache.MARKER), 40);
    }
    age(recent.resolve(WeaveCache.MARKER), 10);

    writeJar("a new agent"); // its folder is made, stale ones go
    WeaveCache current = open();
    assertNotNull(current);
    assertFalse(Files.exists(old.directory()), "the old agent's folder");
    assertTrue(Files.exists(recent.resolve("x.woven")), "a recently used one");
    assertTrue(Files.exists(unmarked.resolve("x.woven")), "a folder without the cache's mark");
    assertTrue(Files.exists(otherName.resolve("x.woven")), "a folder not named as the cache names them");
    if (linked) assertTrue(Files.exists(someoneElses.resolve("keep.woven")), "never through a link");
  }

  @Test
  void aFolderInUseIsKeptHoweverOldItsEntries() throws Exception {
    WeaveCache daily = open();
    daily.store("a/B", "okhttp", CLASS_FILE, WOVEN, NONE);
    age(daily.directory(), 40); // written long ago, read every day since
    age(daily.directory().resolve(WeaveCache.MARKER), 40);
    assertNotNull(find(open(), "a/B", "okhttp", CLASS_FILE), "today's run: a hit (and the folder marked in use)");
    writeJar("another agent, started once");
    assertNotNull(open());
    assertNotNull(find(daily, "a/B", "okhttp", CLASS_FILE), "the daily app's folder is kept");

    Files.delete(daily.directory().resolve(WeaveCache.MARKER)); // a crash before the mark was written
    writeJar("advice v1");
    open();
    assertTrue(Files.exists(daily.directory().resolve(WeaveCache.MARKER)), "marked when found without it");
  }

  @Test
  void anExplicitDirectoryGetsAFolderOfTheCachesOwnAndNothingElseInItIsTouched() throws Exception {
    Path documents = Files.createDirectories(temp.resolve("Documents"));
    Path drafts = Files.createDirectories(documents.resolve("0.1-0123456789abcdef"));
    Files.write(drafts.resolve("draft.tmp"), new byte[] {1});
    Files.write(drafts.resolve(WeaveCache.MARKER), new byte[0]);
    age(drafts.resolve(WeaveCache.MARKER), 400);
    WeaveCache cache = WeaveCache.open(documents, true, jar, "1.0");
    assertNotNull(cache);
    assertEquals(documents.resolve(WeaveCache.FOLDER).toRealPath(), cache.directory().getParent());
    assertTrue(Files.exists(drafts.resolve("draft.tmp")), "the user's own files");
  }

  @Test
  void aFolderOthersCanWriteToIsRefused() throws Exception {
    Path folder = Files.createDirectories(base.resolve(WeaveCache.FOLDER));
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertNull(open(), "the cache's folder writable by all");
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
    WeaveCache cache = open();
    assertNotNull(cache);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.directory())),
        "created readable by the user alone");
    cache.store("a/B", "okhttp", CLASS_FILE, WOVEN, NONE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
        cache.directory().resolve(WeaveCache.entryName("a/B", "okhttp", CLASS_FILE)))), "entries too");
    Files.setPosixFilePermissions(cache.directory(), PosixFilePermissions.fromString("rwxrwx---"));
    assertNull(open(), "the agent jar's folder writable by the group");
  }

  @Test
  void aFolderInsideOneOthersCanWriteToIsRefused() throws Exception {
    Path shared = Files.createDirectories(temp.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path inside = Files.createDirectories(shared.resolve("mine"));
    Files.setPosixFilePermissions(inside, PosixFilePermissions.fromString("rwx------"));
    assertNull(WeaveCache.open(inside, true, jar, "1.0"), "another user could rename the folder away");
    Path viaLink = temp.resolve("link-to-mine");
    Files.createSymbolicLink(viaLink, inside);
    assertNull(WeaveCache.open(viaLink, true, jar, "1.0"), "checked on the real path");
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwx------"));
    assertNotNull(WeaveCache.open(viaLink, true, jar, "1.0"));
  }

  @Test
  void foldersAndEntriesOfAnotherUserAreRefused() throws Exception {
    assumeTrue(root(), "changing a file's owner needs root");
    WeaveCache cache = open();
    cache.store("a/B", "okhttp", CLASS_FILE, WOVEN, NONE);
    Path entry = cache.directory().resolve(WeaveCache.entryName("a/B", "okhttp", CLASS_FILE));
    Files.setAttribute(entry, "unix:uid", 4242);
    assertNull(find(cache, "a/B", "okhttp", CLASS_FILE), "an entry another user owns");
    Files.setAttribute(entry, "unix:uid", 0);
    assertArrayEquals(WOVEN, find(cache, "a/B", "okhttp", CLASS_FILE));
    Path planted = Files.write(temp.resolve("planted"), WeaveCache.encode("okhttp", CLASS_FILE, "evil".getBytes(
        StandardCharsets.UTF_8), NONE));
    Files.delete(entry);
    Files.createSymbolicLink(entry, planted);
    assertNull(find(cache, "a/B", "okhttp", CLASS_FILE), "an entry that is a link");
    Files.setAttribute(cache.directory(), "unix:uid", 4242);
    assertNull(open(), "the agent jar's folder owned by another user");
    Files.setAttribute(cache.directory(), "unix:uid", 0);
    Path parent = Files.createDirectories(temp.resolve("alice"));
    Files.setAttribute(parent, "unix:uid", 4242);
    assertNull(WeaveCache.open(parent, true, jar, "1.0"), "inside another user's folder (sudo -E with her cache)");
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
    cache.store("a/B", "okhttp", CLASS_FILE, WOVEN, NONE);
    assertNull(find(cache, "a/B", "okhttp", CLASS_FILE));
  }

  @Test
  void theDefaultDirectoryIsTheUsersCacheDirectory() {
    assertEquals(Paths.get("/x/cache"), WeaveCache.defaultParent("/x/cache", "/home/u"));
    assertEquals(Paths.get("/home/u", ".cache"), WeaveCache.defaultParent(null, "/home/u"));
    assertEquals(Paths.get("/home/u", ".cache"), WeaveCache.defaultParent("relative", "/home/u"),
        "XDG_CACHE_HOME must be absolute");
    assertNull(WeaveCache.defaultParent(null, "?"), "no home (a container's unknown user)");
    assertNull(WeaveCache.defaultParent(" ", ""));
  }

  @Test
  void entryNamesAreSafeFileNamesThatTellHooksApart() {
    String name = WeaveCache.entryName("okhttp3/OkHttpClient$Builder", "okhttp", CLASS_FILE);
    assertTrue(name.startsWith("okhttp3.OkHttpClient$Builder-") && name.endsWith(".woven"), name);
    assertTrue(WeaveCache.entryName("a/../../b:c\\d", "okhttp", CLASS_FILE).matches("[A-Za-z0-9._$-]+"));
    assertFalse(name.equals(WeaveCache.entryName("okhttp3/OkHttpClient$Builder", "okhttp,sdk-retries,",
        CLASS_FILE)), "apps with other hooks on do not overwrite each other's entries");
  }

  // --- through the transformer --------------------------------------------------------------------------------

  // the hooked classes, hook and advice of HookTransformersTest
  private static final Class<?> KNOWN = HookTransformersTest.Known.class;
  private static final Class<?> CHANGED = HookTransformersTest.Changed.class;

  private static HookInstrumentation hookOn(Class<?> target) {
    return HookTransformersTest.hookOn(target);
  }

  private static byte[] classFile(Class<?> type) throws Exception {
    return HookTransformersTest.classFile(type);
  }

  private static Instrumentation noInstrumentation() {
    return HookTransformersTest.noInstrumentation();
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
    byte[] woven = transform(transformers(KNOWN, false), KNOWN);
    assertNotNull(woven);
    HookTransformers firstRun = transformers(KNOWN, true);
    assertArrayEquals(woven, transform(firstRun, KNOWN), "woven as without a cache");
    assertTrue(weaverBuilt(firstRun));

    HookTransformers nextRun = transformers(KNOWN, true);
    assertArrayEquals(woven, transform(nextRun, KNOWN), "from the cache");
    assertFalse(weaverBuilt(nextRun), "no ByteBuddy needed");
  }

  @Test
  void aClassLeftAsItIsStaysSoWithoutWeavingNextTime() throws Exception {
    HookTransformers firstRun = transformers(CHANGED, true);
    assertNull(transform(firstRun, CHANGED));
    HookTransformers nextRun = transformers(CHANGED, true);
    assertNull(transform(nextRun, CHANGED), "left as it is");
    assertFalse(weaverBuilt(nextRun));
  }

  @Test
  void withTheCacheOffEveryRunWeaves() throws Exception {
    HookTransformers first = new HookTransformers(noInstrumentation(), () -> null);
    first.install(Collections.singletonList(hookOn(KNOWN)));
    assertNotNull(transform(first, KNOWN));
    HookTransformers next = new HookTransformers(noInstrumentation(), () -> {
      throw new IllegalStateException("cannot open");
    });
    next.install(Collections.singletonList(hookOn(KNOWN)));
    assertNotNull(transform(next, KNOWN), "an opener that fails is no cache, not an error");
    assertTrue(weaverBuilt(next));
    assertFalse(Files.exists(base.resolve(WeaveCache.FOLDER)), "nothing written");
  }

  public static class Base {
    protected int count;
  }

  public static final class Sub extends Base {
    void execute() {}
  }

  public static final class FieldAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("count") int count) {}
  }

  private static HookInstrumentation fieldHookOn(Class<?> target) {
    return new HookInstrumentation() {
      @Override public String name() { return "field-hook"; }
      @Override public String[] typeNames() { return new String[] {target.getName()}; }
      @Override public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Collections.<ElementMatcher<? super MethodDescription>, String>singletonMap(named("execute"),
            FieldAdvice.class.getName());
      }
      @Override public String[] helperPackages() { return new String[0]; }
      @Override public void install() {}
    };
  }

  /** A loader whose resources are the test's, except the superclass's, which it serves as {@code base}. */
  private static ClassLoader loaderWithBase(byte[] base) {
    String baseResource = Base.class.getName().replace('.', '/') + ".class";
    return new ClassLoader(WeaveCacheTest.class.getClassLoader()) {
      @Override
      public InputStream getResourceAsStream(String name) {
        return name.equals(baseResource) ? new java.io.ByteArrayInputStream(base) : super.getResourceAsStream(name);
      }

      @Override
      public java.net.URL getResource(String name) {
        if (!name.equals(baseResource)) return super.getResource(name);
        try {
          return new java.net.URL(null, "test:" + name, new java.net.URLStreamHandler() {
            @Override
            protected java.net.URLConnection openConnection(java.net.URL u) {
              return new java.net.URLConnection(u) {
                @Override public void connect() {}
                @Override public InputStream getInputStream() { return new java.io.ByteArrayInputStream(base); }
              };
            }
          });
        } catch (java.net.MalformedURLException e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  @Test
  void aWeaveThatReadTheSuperclassIsUsedOnlyWhileTheSuperclassIsUnchanged() throws Exception {
    byte[] base = classFile(Base.class);
    String sub = Sub.class.getName().replace('.', '/');
    HookTransformers firstRun = new HookTransformers(noInstrumentation(), this::open);
    firstRun.install(Collections.singletonList(fieldHookOn(Sub.class)));
    byte[] woven = firstRun.transform(loaderWithBase(base), sub, null, null, classFile(Sub.class));
    assertNotNull(woven);

    HookTransformers nextRun = new HookTransformers(noInstrumentation(), this::open);
    nextRun.install(Collections.singletonList(fieldHookOn(Sub.class)));
    assertArrayEquals(woven, nextRun.transform(loaderWithBase(base), sub, null, null, classFile(Sub.class)));
    assertFalse(weaverBuilt(nextRun), "from the cache: the superclass is the same");

    byte[] changedBase = base.clone();
    int at = new String(changedBase, StandardCharsets.ISO_8859_1).indexOf("count");
    changedBase[at] = 'k'; // the field renamed: a fresh weave finds no such field
    HookTransformers afterUpgrade = new HookTransformers(noInstrumentation(), this::open);
    afterUpgrade.install(Collections.singletonList(fieldHookOn(Sub.class)));
    afterUpgrade.transform(loaderWithBase(changedBase), sub, null, null, classFile(Sub.class));
    assertTrue(weaverBuilt(afterUpgrade), "the superclass changed: woven again, not taken from the cache");
  }

  @Test
  void theWarmUpIsSkippedWhenAnEarlierRunLeftTheClassesAndRunsWhenOneChanged() throws Exception {
    transform(transformers(KNOWN, true), KNOWN); // an earlier run
    HookTransformers next = transformers(KNOWN, true);
    assertEquals(0, next.warmUp(true), "nothing to warm: the class is in the cache");
    assertFalse(weaverBuilt(next));

    WeaveCache cache = open();
    String known = KNOWN.getName().replace('.', '/');
    Files.delete(cache.directory().resolve(WeaveCache.entryName(known, "test-hook", classFile(KNOWN))));
    byte[] olderVersion = classFile(KNOWN);
    olderVersion[olderVersion.length - 1] ^= 1;
    cache.store(known, "test-hook", olderVersion, WOVEN, NONE); // what an earlier version of the library left
    HookTransformers afterUpgrade = transformers(KNOWN, true);
    assertEquals(1, afterUpgrade.warmUp(true), "the class changed since: warmed up as without a cache");
    assertTrue(weaverBuilt(afterUpgrade));
  }

  @Test
  void theJdkClientsWarmUpIsSkippedWhenAnEarlierRunLeftTheLibrariesClasses() throws Exception {
    // an earlier run wove its library's class; the JDK class its exit's export loaded was left as it is (exiting)
    transform(transformers(KNOWN, true), KNOWN);
    AtomicInteger jdk = new AtomicInteger();
    HookTransformers next = new HookTransformers(noInstrumentation(), this::open);
    next.install(Arrays.asList(hookOn(KNOWN), HookTransformersTest.countedHook("java.net.HttpURLConnection", jdk)));
    assertEquals(0, next.warmUp(true), "the library's class is in the cache");
    assertEquals(0, next.warmUp(false), "an earlier run of this application: the JDK clients' hooks wait too");
    assertEquals(0, jdk.get(), "the JDK client's advice not parsed");
    assertFalse(weaverBuilt(next), "no ByteBuddy");

    // a JDK update since: the JDK class's entry is for another class file, so it is warmed up as without a cache
    byte[] olderJdk;
    try (InputStream in = ClassLoader.getSystemResourceAsStream("java/net/HttpURLConnection.class")) {
      olderJdk = in.readAllBytes();
    }
    olderJdk[olderJdk.length - 1] ^= 1;
    open().store("java/net/HttpURLConnection", "counted-hook", olderJdk, WOVEN, NONE);
    HookTransformers afterJdkUpdate = new HookTransformers(noInstrumentation(), this::open);
    afterJdkUpdate.install(Arrays.asList(hookOn(KNOWN),
        HookTransformersTest.countedHook("java.net.HttpURLConnection", jdk)));
    afterJdkUpdate.warmUp(true);
    assertEquals(1, afterJdkUpdate.warmUp(false), "the JDK class changed since: warmed up");

    HookTransformers noEarlierRun = new HookTransformers(noInstrumentation(), null);
    noEarlierRun.install(Arrays.asList(hookOn(KNOWN), HookTransformersTest.countedHook("java.net.HttpURLConnection",
        jdk)));
    noEarlierRun.warmUp(true);
    assertEquals(1, noEarlierRun.warmUp(false), "nothing known of an earlier run: warmed up");
    assertTrue(jdk.get() >= 1);
  }

  @Test
  void aThreadNeverWaitsLongForAnotherToOpenTheCache() throws Exception {
    java.util.concurrent.CountDownLatch opening = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    HookTransformers t = new HookTransformers(noInstrumentation(), () -> {
      opening.countDown();
      release.await(); // a hung file system
      return open();
    });
    Thread opener = new Thread(t::cache);
    opener.start();
    opening.await();
    long start = System.nanoTime();
    assertNull(t.cache(), "still opening: without the cache");
    long waited = (System.nanoTime() - start) / 1_000_000;
    assertTrue(waited >= HookTransformers.OPEN_WAIT_MILLIS - 5 && waited < 5_000, "waited " + waited + " ms");
    release.countDown();
    opener.join();
    assertNotNull(t.cache(), "opened since");
  }

  /** A hook on two classes, as the OkHttp hook names several of OkHttp's. */
  private static HookInstrumentation hookOnBoth(Class<?> first, Class<?> second) {
    HookInstrumentation one = hookOn(first);
    return new HookInstrumentation() {
      @Override public String name() { return one.name(); }
      @Override public String[] typeNames() { return new String[] {first.getName(), second.getName()}; }
      @Override public Map<ElementMatcher<? super MethodDescription>, String> advice() { return one.advice(); }
      @Override public String[] helperPackages() { return new String[0]; }
      @Override public void install() {}
    };
  }

  @Test
  void theWarmUpRunsWhenOneClassHitsButAnotherChangedSince() throws Exception {
    HookTransformers earlier = new HookTransformers(noInstrumentation(), this::open);
    earlier.install(Collections.singletonList(hookOnBoth(KNOWN, Base.class)));
    transform(earlier, KNOWN); // KNOWN is woven and recorded; Base (no advised method) is recorded as left as it is
    transform(earlier, Base.class);
    HookTransformers same = new HookTransformers(noInstrumentation(), this::open);
    same.install(Collections.singletonList(hookOnBoth(KNOWN, Base.class)));
    assertEquals(0, same.warmUp(true), "both as they were");

    WeaveCache cache = open();
    String base = Base.class.getName().replace('.', '/');
    Files.delete(cache.directory().resolve(WeaveCache.entryName(base, "test-hook", classFile(Base.class))));
    byte[] olderBase = classFile(Base.class);
    olderBase[olderBase.length - 1] ^= 1;
    cache.store(base, "test-hook", olderBase, WeaveCache.LEFT_AS_IS, NONE); // what an older library left
    HookTransformers upgraded = new HookTransformers(noInstrumentation(), this::open);
    upgraded.install(Collections.singletonList(hookOnBoth(KNOWN, Base.class)));
    assertEquals(1, upgraded.warmUp(true), "KNOWN hits, but Base changed since: warmed up");
  }
}
