package dev.llmotel.agent.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.util.Collections;
import java.util.Random;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's class bytes are read into one array of the size the jar records; a stream that gives fewer or more
 * bytes than that, or in small pieces, or a size the jar does not record, still yields exactly the bytes there are.
 */
class AgentClassLoaderReadTest {
  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  /** Hands out at most 7 bytes per read, as an inflater may. */
  private static InputStream trickle(byte[] b) {
    return new FilterInputStream(new ByteArrayInputStream(b)) {
      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        return super.read(buf, off, Math.min(len, 7));
      }
    };
  }

  @Test
  void exactSizeInPieces() throws IOException {
    for (int n : new int[] {0, 1, 7, 8, 4578, 70_000}) {
      byte[] b = bytes(n);
      assertArrayEquals(b, AgentClassLoader.read(trickle(b), n), "size " + n);
    }
  }

  @Test
  void fewerBytesThanRecorded() throws IOException {
    byte[] b = bytes(1000);
    assertArrayEquals(b, AgentClassLoader.read(trickle(b), 1500));
  }

  @Test
  void moreBytesThanRecorded() throws IOException {
    byte[] b = bytes(20_000);
    assertArrayEquals(b, AgentClassLoader.read(trickle(b), 100));
    assertArrayEquals(b, AgentClassLoader.read(trickle(b), 19_999));
  }

  /** Returns 0 bytes on every other read (as a misbehaving stream may): not the end of the entry. */
  private static InputStream stuttering(byte[] b) {
    return new FilterInputStream(new ByteArrayInputStream(b)) {
      private boolean zero;

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        zero = !zero;
        return zero ? 0 : super.read(buf, off, Math.min(len, 100));
      }
    };
  }

  @Test
  void aCorruptHugeSizeIsNotTrusted() throws IOException {
    byte[] b = bytes(5000);
    // before: a 2 GB array (an OutOfMemoryError out of findClass in a smaller heap than this test JVM's)
    long before = allocatedBytes();
    assertArrayEquals(b, AgentClassLoader.read(trickle(b), Integer.MAX_VALUE - 16));
    long allocated = allocatedBytes() - before;
    assertTrue(allocated < AgentClassLoader.MAX_TRUSTED_SIZE, "allocated " + allocated + " bytes for 5,000");
    assertArrayEquals(b, AgentClassLoader.read(trickle(b), AgentClassLoader.MAX_TRUSTED_SIZE + 1));
    assertArrayEquals(b, AgentClassLoader.read(trickle(b), 1L << 40));
  }

  /** What this thread allocated so far (HotSpot's ThreadMXBean). */
  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(
        Thread.currentThread().getId());
  }

  @Test
  void aZeroByteReadIsNotTheEnd() throws IOException {
    byte[] b = bytes(3000);
    assertArrayEquals(b, AgentClassLoader.read(stuttering(b), -1), "unknown size");
    assertArrayEquals(b, AgentClassLoader.read(stuttering(b), 100), "longer than recorded");
    assertArrayEquals(b, AgentClassLoader.read(stuttering(b), 3000), "exact size");
    assertArrayEquals(b, AgentClassLoader.read(stuttering(b), 4000), "shorter than recorded");
  }

  @Test
  void unknownSize() throws IOException {
    byte[] b = bytes(30_000);
    assertArrayEquals(b, AgentClassLoader.read(trickle(b), -1));
  }

  /** A class stored compressed under inst/ is defined from the bytes read, as before. */
  @Test
  void definesAClassFromTheJar(@TempDir File dir) throws Exception {
    String name = AgentClassLoaderReadTest.class.getName();
    File jarFile = TestAgentJars.withClass(dir, AgentClassLoaderReadTest.class, Collections.emptyMap());
    try (JarFile jar = new JarFile(jarFile, false)) {
      URL location = jarFile.toURI().toURL();
      AgentClassLoader loader = new AgentClassLoader(jar, location, ClassLoader.getSystemClassLoader().getParent());
      Class<?> c = loader.loadClass(name);
      assertEquals(loader, c.getClassLoader());
      assertEquals(name, c.getName());
    }
  }
}
