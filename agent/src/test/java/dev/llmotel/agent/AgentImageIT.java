package dev.llmotel.agent;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The agent image tarball (docker-archive format) is well-formed and carries exactly the jar just built. */
class AgentImageIT {
  private static final File JAR = new File(System.getProperty("agent.jar", "target/llm-otel-agent.jar"));
  private static final File IMAGE = new File(JAR.getParentFile(), "llm-otel-agent-image.tar");

  @Test
  void imageCarriesOnlyTheAgentJar() throws Exception {
    Map<String, byte[]> outer = untar(Files.readAllBytes(IMAGE.toPath()));
    String manifest = new String(outer.get("manifest.json"), StandardCharsets.UTF_8);
    String config = match(manifest, "\"Config\":\"([0-9a-f]{64}\\.json)\"");
    String layer = match(manifest, "\"Layers\":\\[\"([0-9a-f]{64}/layer\\.tar)\"\\]");
    assertTrue(manifest.contains("llm-otel-agent:latest"), manifest);

    byte[] configBytes = outer.get(config);
    assertEquals(config.substring(0, 64), sha256(configBytes), "config is named by its digest");
    byte[] layerBytes = outer.get(layer);
    String configJson = new String(configBytes, StandardCharsets.UTF_8);
    assertTrue(configJson.contains("\"diff_ids\":[\"sha256:" + sha256(layerBytes) + "\"]"), configJson);
    assertTrue(configJson.contains("\"os\":\"linux\""), configJson);

    Map<String, byte[]> files = untar(layerBytes);
    assertEquals(1, files.size(), files.keySet().toString());
    assertArrayEquals(Files.readAllBytes(JAR.toPath()), files.get("javaagent/llm-otel-agent.jar"));
  }

  private static String match(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), regex + " in " + text);
    return m.group(1);
  }

  private static String sha256(byte[] bytes) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) sb.append(String.format("%02x", b));
    return sb.toString();
  }

  /** Regular files of a (ustar/pax) tar, by name. */
  static Map<String, byte[]> untar(byte[] tar) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    int pos = 0;
    String paxName = null;
    while (pos + 512 <= tar.length) {
      String name = field(tar, pos, 100);
      if (name.isEmpty()) break;
      String prefix = field(tar, pos + 345, 155);
      long size = Long.parseLong(field(tar, pos + 124, 12).trim(), 8);
      char type = (char) tar[pos + 156];
      int data = pos + 512;
      if (type == 'x') {
        String pax = new String(tar, data, (int) size, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\\d+ path=([^\\n]+)\\n").matcher(pax);
        paxName = m.find() ? m.group(1) : null;
      } else {
        String full = paxName != null ? paxName : prefix.isEmpty() ? name : prefix + "/" + name;
        paxName = null;
        if (type == '0' || type == 0) {
          byte[] content = new byte[(int) size];
          System.arraycopy(tar, data, content, 0, (int) size);
          files.put(full, content);
        }
      }
      pos = data + (int) ((size + 511) / 512 * 512);
    }
    return files;
  }

  private static String field(byte[] tar, int offset, int length) {
    int end = offset;
    while (end < offset + length && tar[end] != 0) end++;
    return new String(tar, offset, end - offset, StandardCharsets.US_ASCII);
  }
}
