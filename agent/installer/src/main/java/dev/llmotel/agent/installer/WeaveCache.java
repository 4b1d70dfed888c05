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
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * Woven classes kept on disk between runs of the same agent, so that an application started again (a CLI tool, a batch
 * job, a function, a developer's run after run) loads the woven bytes of a hooked class instead of weaving it again:
 * weaving a class cold loads and runs several hundred classes of ByteBuddy on the application's thread (100-250 ms on
 * two cores), reading an entry takes well under a millisecond.
 *
 * <p>An entry is found only by exact comparison: it holds the class file it was woven from and the names of the hooks
 * woven in, and is used only when both equal those of the class being loaded, byte for byte; a checksum over the whole
 * entry rejects a damaged file. The weave depends on nothing else (no other class is resolved, {@link HookWeaver}),
 * except the agent itself: entries live in a directory of their own per agent jar (version, size and modification
 * time), older agents' directories are removed after {@link #STALE_DAYS} days. Entries are written to a temporary file
 * and moved into place, so a reader never sees half an entry; at most {@link #MAX_ENTRIES} per agent.
 *
 * <p>Only the user's own directory is used: it is created readable by the user alone, and refused (the cache is then
 * off, one line says why) when another user could write to it, since whoever writes an entry chooses code the
 * application runs. Every failure is a miss: the class is woven as without a cache.
 */
final class WeaveCache {
  static final int MAX_ENTRIES = 512;
  static final long STALE_DAYS = 30;
  /** A class file larger than this is woven each time (no hooked class comes near it). */
  private static final int MAX_CLASS_FILE = 4 << 20;
  private static final int MAGIC = 0x4c4f5743; // "LOWC"
  private static final int FORMAT = 1;

  private final Path dir;
  private volatile boolean full;

  private WeaveCache(Path dir) {
    this.dir = dir;
  }

  /**
   * The cache of this agent jar under {@code base}, or null (with one line saying why) when it cannot be used.
   *
   * @param explicit whether the user named {@code base} (a problem is then a warning, not a debug line)
   * @param agentJar the agent's jar, whose version, size and modification time name the directory
   */
  static WeaveCache open(Path base, boolean explicit, File agentJar, String version) {
    try {
      if (agentJar == null || !agentJar.isFile()) {
        AgentLog.debug("weave cache off: the agent's jar is not a file (" + agentJar + ")");
        return null;
      }
      CRC32 identity = new CRC32();
      byte[] id = (agentJar.getAbsolutePath() + '|' + agentJar.length() + '|' + agentJar.lastModified())
          .getBytes("UTF-8");
      identity.update(id, 0, id.length);
      Path dir = base.resolve(safe(version) + '-' + Long.toHexString(identity.getValue()));
      boolean created = !Files.isDirectory(dir);
      if (created) createPrivate(dir);
      String refused = refusal(base, dir);
      if (refused != null) {
        String line = "weave cache off: " + dir + " " + refused;
        if (explicit) AgentLog.warn(line + " (" + Settings.DIR + ")");
        else AgentLog.debug(line);
        return null;
      }
      WeaveCache cache = new WeaveCache(dir);
      if (created) cache.removeStale(base);
      return cache;
    } catch (Throwable t) {
      String line = "weave cache off: " + base + ": " + t;
      if (explicit) AgentLog.warn(line + " (" + Settings.DIR + ")");
      else AgentLog.debug(line);
      return null;
    }
  }

  /** The settings' names, for the lines that name them. */
  static final class Settings {
    static final String ENABLED = "otel.instrumentation.llm.weave-cache.enabled";
    static final String DIR = "otel.instrumentation.llm.weave-cache.dir";

    private Settings() {}
  }

  /**
   * The default base directory: {@code $XDG_CACHE_HOME/llm-otel-agent}, else {@code ~/.cache/llm-otel-agent}; null
   * when there is no home directory.
   */
  static Path defaultBase(String xdgCacheHome, String userHome) {
    if (xdgCacheHome != null && !xdgCacheHome.trim().isEmpty() && Paths.get(xdgCacheHome.trim()).isAbsolute()) {
      return Paths.get(xdgCacheHome.trim(), "llm-otel-agent");
    }
    if (userHome == null || userHome.trim().isEmpty() || "?".equals(userHome.trim())) return null;
    return Paths.get(userHome.trim(), ".cache", "llm-otel-agent");
  }

  /**
   * The woven class recorded for this class file and these hooks; an empty array when it was recorded as left as it
   * is (none of the hooks' methods are there: {@link #LEFT_AS_IS}); null when nothing matches.
   */
  byte[] find(String internalName, String hooks, byte[] classFile) {
    if (classFile.length > MAX_CLASS_FILE) return null;
    Path entry = dir.resolve(entryName(internalName, classFile));
    try {
      if (!Files.isRegularFile(entry)) return null;
      byte[] bytes = Files.readAllBytes(entry);
      byte[] woven = decode(bytes, hooks, classFile);
      if (woven == null) AgentLog.debug("weave cache: " + entry.getFileName() + " does not match; woven again");
      return woven;
    } catch (Throwable t) {
      AgentLog.debug("weave cache: could not read " + entry + ": " + t);
      return null;
    }
  }

  /** Whether {@link #find} would find this class file with these hooks (the warm-up's question). */
  boolean has(String internalName, String hooks, byte[] classFile) {
    return find(internalName, hooks, classFile) != null;
  }

  /** What {@link #store} records for a class the hooks leave as it is (a version without their methods). */
  static final byte[] LEFT_AS_IS = new byte[0];

  /** Records a woven class (or {@link #LEFT_AS_IS}); a failure (a full disk, a read-only home) only costs the next run a weave. */
  void store(String internalName, String hooks, byte[] classFile, byte[] woven) {
    if (full || classFile.length > MAX_CLASS_FILE) return;
    Path entry = dir.resolve(entryName(internalName, classFile));
    Path temp = null;
    try {
      if (count() >= MAX_ENTRIES) {
        full = true;
        AgentLog.debug("weave cache: " + dir + " holds " + MAX_ENTRIES + " entries; no more are written");
        return;
      }
      temp = dir.resolve(uniqueName("entry"));
      Files.write(temp, encode(hooks, classFile, woven), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, entry, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
    } catch (Throwable t) {
      AgentLog.debug("weave cache: could not write " + entry + ": " + t);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (Throwable ignored) {
          // left for the next run's stale clean-up
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

  /** The class file as a loader's resource, or null (the warm-up reads it without ByteBuddy). */
  static byte[] resource(ClassLoader loader, String internalName) {
    try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
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

  static byte[] encode(String hooks, byte[] classFile, byte[] woven) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(classFile.length + woven.length + 64);
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(MAGIC);
    out.writeInt(FORMAT);
    out.writeUTF(hooks);
    out.writeInt(classFile.length);
    out.write(classFile);
    out.writeInt(woven.length);
    out.write(woven);
    CRC32 crc = new CRC32();
    crc.update(bytes.toByteArray(), 0, bytes.size());
    out.writeLong(crc.getValue());
    out.flush();
    return bytes.toByteArray();
  }

  /** The woven bytes of an entry written by {@link #encode} for exactly these hooks and this class file, or null. */
  static byte[] decode(byte[] entry, String hooks, byte[] classFile) {
    if (entry.length < 8 + 2 + 4 + 4 + 8) return null;
    CRC32 crc = new CRC32();
    crc.update(entry, 0, entry.length - 8);
    long stored = 0;
    for (int i = entry.length - 8; i < entry.length; i++) stored = (stored << 8) | (entry[i] & 0xff);
    if (stored != crc.getValue()) return null;
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry, 0, entry.length - 8));
      if (in.readInt() != MAGIC || in.readInt() != FORMAT) return null;
      if (!hooks.equals(in.readUTF())) return null;
      int length = in.readInt();
      if (length != classFile.length || length > in.available()) return null;
      byte[] original = new byte[length];
      in.readFully(original);
      if (!Arrays.equals(original, classFile)) return null;
      int wovenLength = in.readInt();
      if (wovenLength < 0 || wovenLength != in.available()) return null;
      byte[] woven = new byte[wovenLength];
      in.readFully(woven);
      return woven;
    } catch (IOException e) {
      return null;
    }
  }

  /** The file name: the class's name and its class file's CRC and length (a collision is only a miss). */
  static String entryName(String internalName, byte[] classFile) {
    CRC32 crc = new CRC32();
    crc.update(classFile, 0, classFile.length);
    String name = safe(internalName.replace('/', '.'));
    if (name.length() > 120) name = name.substring(name.length() - 120);
    return name + '-' + Long.toHexString(crc.getValue()) + '-' + classFile.length + ".woven";
  }

  private static String safe(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
          || c == '_' || c == '$' ? c : '_');
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
  private static final java.util.concurrent.atomic.AtomicLong UNIQUE = new java.util.concurrent.atomic.AtomicLong();

  private int count() throws IOException {
    int n = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.woven")) {
      for (Path ignored : entries) n++;
    }
    return n;
  }

  private static void createPrivate(Path dir) throws IOException {
    if (Files.getFileStore(existingAncestor(dir)).supportsFileAttributeView(PosixFileAttributeView.class)) {
      Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rwx------");
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(owner));
    } else {
      Files.createDirectories(dir);
    }
  }

  private static Path existingAncestor(Path dir) {
    Path p = dir.toAbsolutePath();
    while (p != null && !Files.exists(p)) p = p.getParent();
    return p == null ? dir.toAbsolutePath().getRoot() : p;
  }

  /**
   * Why the directory must not be used, or null: on a POSIX file system the base and the agent's directory must be
   * owned by this process's user (the owner of a file it creates there) and writable by nobody else.
   */
  private static String refusal(Path base, Path dir) throws IOException {
    if (!Files.isDirectory(dir) || !Files.isWritable(dir)) return "is not a writable directory";
    PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
    if (view == null) return null; // not POSIX (Windows): the user's profile directory is private by default
    Path probe = Files.createFile(dir.resolve(uniqueName("probe")));
    try {
      UserPrincipal me = Files.getOwner(probe);
      for (Path p : new Path[] {base, dir}) {
        if (!me.equals(Files.getOwner(p))) return "is owned by " + Files.getOwner(p) + ", not " + me;
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
          return "(or " + p + ") is writable by other users (" + PosixFilePermissions.toString(perms) + ")";
        }
      }
      return null;
    } finally {
      Files.deleteIfExists(probe);
    }
  }

  /** Other agent jars' directories not touched for {@link #STALE_DAYS} days, with what they hold. */
  private void removeStale(Path base) {
    long cutoff = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(STALE_DAYS);
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base)) {
      for (Path other : dirs) {
        // only directories this cache made (never through a link), only its own files in them
        if (other.equals(dir) || !Files.isDirectory(other, LinkOption.NOFOLLOW_LINKS)) continue;
        FileTime modified = Files.getLastModifiedTime(other, LinkOption.NOFOLLOW_LINKS);
        if (modified.toMillis() >= cutoff) continue;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(other, "*.{woven,tmp}")) {
          for (Path entry : entries) {
            if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) Files.deleteIfExists(entry);
          }
        }
        try {
          Files.deleteIfExists(other);
        } catch (java.nio.file.DirectoryNotEmptyException kept) {
          // something else lives there: left alone
        }
      }
    } catch (Throwable t) {
      AgentLog.debug("weave cache: could not remove stale directories in " + base + ": " + t);
    }
  }
}
