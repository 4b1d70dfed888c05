package dev.llmotel.agent.installer;

import dev.llmotel.config.AgentLog;
import dev.llmotel.hook.HookInstrumentation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/**
 * Woven classes kept on disk between runs of the same agent, so that an application started again (a CLI tool, a batch
 * job, a function, a developer's run after run) loads the woven bytes of a hooked class instead of weaving it again:
 * weaving a class cold loads and runs several hundred classes of ByteBuddy on the application's thread (100-250 ms on
 * two cores), reading an entry takes about a millisecond.
 *
 * <p>An entry is used only when everything its weave read is unchanged: it holds the class file it was woven from and
 * the names of the hooks woven in (both compared byte for byte), and the name, length and two checksums of every other
 * class file the weave read through the class's loader (a superclass declaring a field the advice reads); a checksum
 * over the whole entry rejects a damaged file. Entries live in a folder of their own per agent jar, named by a
 * 64-bit hash of the jar's central directory (every entry's name, size and CRC), so another build of the agent never
 * uses them; folders of agent jars unused for {@link #STALE_DAYS} days are removed. Entries are written to a temporary
 * file and moved into place, so a reader never sees half an entry; at most {@link #MAX_ENTRIES} per agent jar.
 *
 * <p>Whoever can write an entry chooses code the application runs, so only a folder no other user can change is used:
 * on a POSIX file system (the cache is off elsewhere) the cache's folders must be owned by this process's user and
 * writable by nobody else, and every folder above them owned by that user or root and writable by nobody else (or
 * root's and sticky, as {@code /tmp}); checked once on the real path, which is used from then on. A folder that fails
 * turns the cache off, with one line saying why. Every other failure is a miss: the class is woven as without a cache.
 */
final class WeaveCache {
  static final int MAX_ENTRIES = 512;
  static final long STALE_DAYS = 30;
  /** The cache's own folder, inside the configured (or the user's cache) directory. */
  static final String FOLDER = "llm-otel-agent";
  /** The file that marks an agent jar's folder as the cache's own (the stale clean-up touches no other folder). */
  static final String MARKER = ".weave-cache";
  /** A class file larger than this is woven each time (no hooked class comes near it). */
  static final int MAX_CLASS_FILE = 1 << 20;
  private static final int MAGIC = 0x4c4f5743; // "LOWC"
  private static final int FORMAT = 2;
  private static final Pattern AGENT_FOLDER = Pattern.compile("[A-Za-z0-9._$-]+-[0-9a-f]{16}");

  /** Reads a class file the way the class's loader finds it now; null when it cannot. */
  interface ClassFiles {
    byte[] read(String typeName);
  }

  private final Path dir;
  private final int owner;
  private volatile boolean full;
  /** The class names that have an entry (any class file, any hooks), read once by the warm-up. */
  private volatile Set<String> namesWithEntries;

  private WeaveCache(Path dir, int owner) {
    this.dir = dir;
    this.owner = owner;
  }

  /** The settings' names, for the lines that name them ({@code weave-cache.enabled} is read by AgentConfig). */
  static final class Settings {
    static final String DIR = "otel.instrumentation.llm.weave-cache.dir";

    private Settings() {}
  }

  /**
   * The cache of this agent jar in {@code parent}/{@value #FOLDER}, or null (with one line saying why) when it cannot
   * be used.
   *
   * @param explicit whether the user named {@code parent} (a problem is then a warning naming the setting, not a debug
   *     line)
   * @param agentJar the agent's jar, whose central directory names the folder
   */
  static WeaveCache open(Path parent, boolean explicit, File agentJar, String version) {
    try {
      if (!FileSystems.getDefault().supportedFileAttributeViews().contains("unix")) {
        return off(explicit, parent, "is not on a POSIX file system");
      }
      if (agentJar == null || !agentJar.isFile()) {
        return off(false, parent, "has no agent jar to go with (" + agentJar + ")");
      }
      Path root = parent.resolve(FOLDER);
      if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) createPrivate(root);
      root = root.toRealPath();
      int me = probeOwner(root);
      String refused = refusal(root, me);
      if (refused != null) return off(explicit, parent, refused);
      Path dir = root.resolve(safe(version) + '-' + identity(agentJar));
      boolean created = !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS);
      if (created) createPrivate(dir);
      refused = privateFolder(dir, me);
      if (refused != null) return off(explicit, parent, refused);
      markUsed(dir);
      WeaveCache cache = new WeaveCache(dir, me);
      if (created) cache.removeStale(root);
      return cache;
    } catch (Throwable t) {
      return off(explicit, parent, "cannot be used: " + t);
    }
  }

  private static WeaveCache off(boolean explicit, Path parent, String why) {
    String line = "weave cache off: " + parent + " " + why;
    if (explicit) AgentLog.warn(line + " (" + Settings.DIR + ")");
    else AgentLog.debug(line);
    return null;
  }

  /**
   * The default parent directory: {@code $XDG_CACHE_HOME}, else {@code ~/.cache}; null when there is no home
   * directory.
   */
  static Path defaultParent(String xdgCacheHome, String userHome) {
    if (xdgCacheHome != null && !xdgCacheHome.trim().isEmpty() && Paths.get(xdgCacheHome.trim()).isAbsolute()) {
      return Paths.get(xdgCacheHome.trim());
    }
    if (userHome == null || userHome.trim().isEmpty() || "?".equals(userHome.trim())) return null;
    return Paths.get(userHome.trim(), ".cache");
  }

  /**
   * The woven class recorded for this class file and these hooks; an empty array when it was recorded as left as it
   * is (none of the hooks' methods are there: {@link #LEFT_AS_IS}); null when nothing matches.
   *
   * @param classFiles how the class's loader reads other class files now (for the ones the weave read)
   */
  byte[] find(String internalName, String hooks, byte[] classFile, ClassFiles classFiles) {
    if (classFile.length > MAX_CLASS_FILE) return null;
    Path entry = dir.resolve(entryName(internalName, hooks, classFile));
    try {
      if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) return null;
      if (((Number) Files.getAttribute(entry, "unix:uid", LinkOption.NOFOLLOW_LINKS)).intValue() != owner) {
        return null;
      }
      byte[] woven = decode(Files.readAllBytes(entry), hooks, classFile, classFiles);
      if (woven == null) AgentLog.debug("weave cache: " + entry.getFileName() + " does not match; woven again");
      return woven;
    } catch (Throwable t) {
      AgentLog.debug("weave cache: could not read " + entry + ": " + t);
      return null;
    }
  }

  /**
   * Whether an entry for this class name exists, for whatever class file or hooks: a class the warm-up's hooks name
   * that has one but misses now was loaded by an earlier run and has changed since (a new library version).
   */
  boolean hasAnyEntryFor(String internalName) {
    return namesWithEntries().contains(className(internalName));
  }

  /** Whether an earlier run left any entry (of any class): a run of an application with this agent jar wove here. */
  boolean hasAnyEntry() {
    return !namesWithEntries().isEmpty();
  }

  private Set<String> namesWithEntries() {
    Set<String> names = namesWithEntries;
    if (names == null) {
      names = java.util.concurrent.ConcurrentHashMap.newKeySet();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.woven")) {
        for (Path entry : entries) {
          String name = entry.getFileName().toString();
          names.add(name.substring(0, name.indexOf('-') < 0 ? name.length() : name.indexOf('-')));
        }
      } catch (Throwable t) {
        // as if none: the warm-up then runs
      }
      namesWithEntries = names;
    }
    return names;
  }

  /** What {@link #store} records for a class the hooks leave as it is (a version without their methods). */
  static final byte[] LEFT_AS_IS = new byte[0];

  /**
   * Records a woven class (or {@link #LEFT_AS_IS}); a failure (a full disk, a read-only home) only costs the next run
   * a weave.
   *
   * @param dependencies the other class files the weave read through the class's loader, by type name
   */
  void store(String internalName, String hooks, byte[] classFile, byte[] woven, Map<String, byte[]> dependencies) {
    if (full || classFile.length > MAX_CLASS_FILE) return;
    Path entry = dir.resolve(entryName(internalName, hooks, classFile));
    Path temp = null;
    try {
      if (count() >= MAX_ENTRIES) {
        full = true;
        AgentLog.debug("weave cache: " + dir + " holds " + MAX_ENTRIES + " entries; no more are written");
        return;
      }
      byte[] bytes = encode(hooks, classFile, woven, dependencies);
      temp = Files.createFile(dir.resolve(uniqueName("entry")), OWNER_ONLY);
      try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
        out.write(bytes);
      }
      try {
        Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, entry, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
      Set<String> names = namesWithEntries;
      if (names != null) names.add(className(internalName));
    } catch (Throwable t) {
      AgentLog.debug("weave cache: could not write " + entry + ": " + t);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (Throwable ignored) {
          // a stray temporary file, harmless
        }
      }
    }
  }

  Path directory() {
    return dir;
  }

  /** The hooks part of an entry's identity: their names, in the order they are woven in. */
  static String hookKey(List<HookInstrumentation> hooks) {
    if (hooks.size() == 1) return hooks.get(0).name();
    StringBuilder key = new StringBuilder();
    for (HookInstrumentation hook : hooks) key.append(hook.name()).append(',');
    return key.toString();
  }

  /** Other class files as {@code loader} (the boot loader when null) reads them now, by type name. */
  static ClassFiles classFiles(ClassLoader loader) {
    return typeName -> resource(loader, typeName.replace('.', '/'));
  }

  /** The class file as a loader's resource (the boot loader's when null), or null; reads no class. */
  static byte[] resource(ClassLoader loader, String internalName) {
    String name = internalName + ".class";
    try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(name)
        : loader.getResourceAsStream(name)) {
      if (in == null) return null;
      ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) != -1; ) {
        out.write(buffer, 0, n);
        if (out.size() > MAX_CLASS_FILE) return null;
      }
      return out.toByteArray();
    } catch (Throwable t) {
      return null;
    }
  }

  static byte[] encode(String hooks, byte[] classFile, byte[] woven, Map<String, byte[]> dependencies)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(classFile.length + woven.length + 256);
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(MAGIC);
    out.writeInt(FORMAT);
    out.writeUTF(hooks);
    out.writeInt(dependencies.size());
    for (Map.Entry<String, byte[]> dependency : dependencies.entrySet()) {
      out.writeUTF(dependency.getKey());
      out.writeInt(dependency.getValue().length);
      out.writeLong(crc(dependency.getValue()));
      out.writeLong(adler(dependency.getValue()));
    }
    out.writeInt(classFile.length);
    out.write(classFile);
    out.writeInt(woven.length);
    out.write(woven);
    out.flush();
    out.writeLong(crc(bytes.toByteArray()));
    out.flush();
    return bytes.toByteArray();
  }

  /**
   * The woven bytes of an entry written by {@link #encode} for exactly these hooks and this class file, whose other
   * class files are as the loader reads them now ({@code classFiles}), or null.
   */
  static byte[] decode(byte[] entry, String hooks, byte[] classFile, ClassFiles classFiles) {
    if (entry.length < 8 + 2 + 4 + 4 + 4 + 8) return null;
    CRC32 crc = new CRC32();
    crc.update(entry, 0, entry.length - 8);
    long stored = 0;
    for (int i = entry.length - 8; i < entry.length; i++) stored = (stored << 8) | (entry[i] & 0xff);
    if (stored != crc.getValue()) return null;
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry, 0, entry.length - 8));
      if (in.readInt() != MAGIC || in.readInt() != FORMAT) return null;
      if (!hooks.equals(in.readUTF())) return null;
      Map<String, long[]> dependencies = new LinkedHashMap<>();
      for (int i = in.readInt(); i > 0; i--) {
        dependencies.put(in.readUTF(), new long[] {in.readInt(), in.readLong(), in.readLong()});
      }
      int length = in.readInt();
      if (length != classFile.length || length > in.available()) return null;
      byte[] original = new byte[length];
      in.readFully(original);
      if (!Arrays.equals(original, classFile)) return null;
      int wovenLength = in.readInt();
      if (wovenLength < 0 || wovenLength != in.available()) return null;
      for (Map.Entry<String, long[]> dependency : dependencies.entrySet()) {
        byte[] now = classFiles.read(dependency.getKey());
        long[] then = dependency.getValue();
        if (now == null || now.length != then[0] || crc(now) != then[1] || adler(now) != then[2]) return null;
      }
      byte[] woven = new byte[wovenLength];
      in.readFully(woven);
      return woven;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The file name: the class's name, its class file's CRC and length, and the hooks' CRC (a collision is only a
   * miss: the entry's content decides).
   */
  static String entryName(String internalName, String hooks, byte[] classFile) {
    return className(internalName) + '-' + Long.toHexString(crc(classFile)) + '-' + classFile.length + '-'
        + Long.toHexString(crc(hooks.getBytes(StandardCharsets.UTF_8))) + ".woven";
  }

  private static String className(String internalName) {
    String name = safe(internalName.replace('/', '.'));
    return name.length() > 120 ? name.substring(name.length() - 120) : name;
  }

  private static long crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length);
    return crc.getValue();
  }

  private static long adler(byte[] bytes) {
    Adler32 adler = new Adler32();
    adler.update(bytes, 0, bytes.length);
    return adler.getValue();
  }

  /**
   * 64 bits (two checksums) of the agent jar's central directory, which lists every entry's name, size and CRC: another
   * build of the agent (however its file was copied, whatever its time stamps) has another folder. Read when the cache
   * opens (at the first hooked class or the warm-up), not at premain: a jar replaced in place within that moment of a
   * running JVM's start would file this JVM's weaves under the new jar's folder. The directory's
   * bytes are read as they are (one read of a few hundred KB); a jar whose end record cannot be found that way (a
   * comment, ZIP64) is hashed entry by entry instead.
   */
  static String identity(File agentJar) throws IOException {
    CRC32 crc = new CRC32();
    Adler32 adler = new Adler32();
    byte[] directory = centralDirectory(agentJar);
    if (directory != null) {
      crc.update(directory, 0, directory.length);
      adler.update(directory, 0, directory.length);
    } else {
      try (JarFile jar = new JarFile(agentJar, false)) {
        byte[] number = new byte[16];
        for (Enumeration<? extends ZipEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
          ZipEntry e = entries.nextElement();
          byte[] name = e.getName().getBytes(StandardCharsets.UTF_8);
          crc.update(name, 0, name.length);
          adler.update(name, 0, name.length);
          for (int i = 0; i < 8; i++) {
            number[i] = (byte) (e.getSize() >>> (8 * i));
            number[8 + i] = (byte) (e.getCrc() >>> (8 * i));
          }
          crc.update(number, 0, number.length);
          adler.update(number, 0, number.length);
        }
      }
    }
    return String.format("%08x%08x", crc.getValue(), adler.getValue());
  }

  /** The zip's central directory as stored, found through its end record when that ends the file; else null. */
  static byte[] centralDirectory(File zip) throws IOException {
    try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(zip, "r")) {
      long length = file.length();
      if (length < 22) return null;
      byte[] end = new byte[22]; // the end of central directory record, without a comment
      file.seek(length - 22);
      file.readFully(end);
      if (le32(end, 0) != 0x06054b50L) return null;
      long size = le32(end, 12);
      long offset = le32(end, 16);
      // the directory right before its end record: else ZIP64, or bytes put before the zip (a launcher script)
      if (size == 0xffffffffL || offset == 0xffffffffL || size > 64 << 20 || offset + size != length - 22) return null;
      byte[] directory = new byte[(int) size];
      file.seek(offset);
      file.readFully(directory);
      return directory;
    }
  }

  private static long le32(byte[] b, int at) {
    return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
  }

  private static String safe(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
          || c == '$' ? c : '_');
    }
    return out.toString();
  }

  /**
   * A name no other thread or process uses at the same time (the JVM's start time and a counter, the thread's id);
   * not {@code Files.createTempFile}, whose {@code SecureRandom} costs a cold JVM tens of milliseconds.
   */
  private static String uniqueName(String kind) {
    return kind + '-' + Long.toHexString(START) + '-' + Thread.currentThread().getId() + '-'
        + Long.toHexString(System.nanoTime()) + '-' + UNIQUE.incrementAndGet() + ".tmp";
  }

  private static final long START = System.currentTimeMillis() ^ (System.nanoTime() << 20);
  private static final AtomicLong UNIQUE = new AtomicLong();
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private int count() throws IOException {
    int n = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.woven")) {
      for (Path ignored : entries) n++;
    }
    return n;
  }

  private static void createPrivate(Path dir) throws IOException {
    Files.createDirectories(dir,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  /**
   * This process's user id: the owner of a file it creates in {@code dir}, which on Linux must be the owner of
   * {@code /proc/self} too; else file ownership there is not the process's own (an NFS share that maps every user to
   * one, a CIFS or sshfs mount with a fixed owner), where the owner checks would prove nothing: refused.
   */
  private static int probeOwner(Path dir) throws IOException {
    Path probe = Files.createFile(dir.resolve(uniqueName("probe")), OWNER_ONLY);
    int owner;
    try {
      owner = uid(probe);
    } finally {
      Files.deleteIfExists(probe);
    }
    Path self = Paths.get("/proc/self");
    if (Files.isDirectory(self) && uid(self) != owner) {
      throw new IOException("files created in " + dir + " belong to user " + owner + ", not to this process's user "
          + uid(self) + " (a mapped file system)");
    }
    return owner;
  }

  /**
   * Marks the agent jar's folder as the cache's own and in use: its {@link #MARKER} file, (re)written when missing
   * (a crash right after the folder was made) and touched once a day, is what the stale clean-up ages folders by (a
   * run that only reads entries changes no folder's time).
   */
  private static void markUsed(Path dir) throws IOException {
    Path marker = dir.resolve(MARKER);
    if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
      Files.write(marker, new byte[0]);
    } else if (Files.getLastModifiedTime(marker).toMillis() < System.currentTimeMillis() - TimeUnit.DAYS.toMillis(1)) {
      Files.setLastModifiedTime(marker, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
    }
  }

  private static int uid(Path p) throws IOException {
    return ((Number) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).intValue();
  }

  private static int mode(Path p) throws IOException {
    return ((Number) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
  }

  /** Why a folder of the cache must not be used, or null: it must be this user's, writable by nobody else. */
  private static String privateFolder(Path p, int me) throws IOException {
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return "has " + p + ", which is not a directory";
    if (uid(p) != me) return "has " + p + ", owned by user " + uid(p) + ", not by this process's user " + me;
    if ((mode(p) & 022) != 0) return "has " + p + ", writable by other users";
    return null;
  }

  /**
   * Why the cache's folder (a real path) must not be used, or null: it must be private, and every folder above it
   * this user's or root's and writable by nobody else, or root's and sticky (no user can rename another's entries).
   */
  private static String refusal(Path root, int me) throws IOException {
    String refused = privateFolder(root, me);
    if (refused != null) return refused;
    for (Path p = root.getParent(); p != null; p = p.getParent()) {
      int uid = uid(p);
      int mode = mode(p);
      if (uid != me && uid != 0) return "is inside " + p + ", owned by user " + uid;
      boolean stickyRoot = uid == 0 && (mode & 01000) != 0;
      if ((mode & 022) != 0 && !stickyRoot) return "is inside " + p + ", writable by other users";
    }
    return null;
  }

  /**
   * Other agent jars' folders not used for {@link #STALE_DAYS} days (by their {@link #MARKER}'s time): only folders
   * named as the cache names them and marked as its own, never through a link, and in them only the cache's files.
   */
  private void removeStale(Path root) {
    long cutoff = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(STALE_DAYS);
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path other : dirs) {
        if (other.equals(dir) || !AGENT_FOLDER.matcher(other.getFileName().toString()).matches()) continue;
        Path marker = other.resolve(MARKER);
        if (!Files.isDirectory(other, LinkOption.NOFOLLOW_LINKS)
            || !Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        if (Files.getLastModifiedTime(marker, LinkOption.NOFOLLOW_LINKS).toMillis() >= cutoff) continue;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(other, "*.{woven,tmp}")) {
          for (Path entry : entries) {
            if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) Files.deleteIfExists(entry);
          }
        }
        Files.deleteIfExists(other.resolve(MARKER));
        try {
          Files.deleteIfExists(other);
        } catch (DirectoryNotEmptyException kept) {
          // something else lives there: left alone
        }
      }
    } catch (Throwable t) {
      AgentLog.debug("weave cache: could not remove stale folders in " + root + ": " + t);
    }
  }
}
