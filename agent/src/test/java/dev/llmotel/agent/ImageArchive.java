package dev.llmotel.agent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A docker-archive image tarball (what {@code docker load -i} reads, and what Jib's buildTar writes): manifest.json,
 * the config JSON, and the layers (plain or gzipped tars), read with the JDK alone.
 */
final class ImageArchive {
  /** One tar entry of a layer. */
  static final class Entry {
    final String path;
    final char type;
    final int mode;
    final long mtimeSeconds;
    final long uid;
    final long gid;
    final byte[] content;

    Entry(String path, char type, int mode, long mtimeSeconds, long uid, long gid, byte[] content) {
      this.path = path;
      this.type = type;
      this.mode = mode;
      this.mtimeSeconds = mtimeSeconds;
      this.uid = uid;
      this.gid = gid;
      this.content = content;
    }

    boolean isFile() {
      return type == '0' || type == 0;
    }
  }

  final Map<String, Object> manifest;
  final Map<String, Object> config;
  final String configFile;
  final byte[] configBytes;
  /** Layers in order; each maps the entry's path (no leading "/", directories without trailing "/") to it. */
  final List<Map<String, Entry>> layers = new ArrayList<>();
  /** The digests of the layers' uncompressed tars, in order. */
  final List<String> diffIds = new ArrayList<>();

  @SuppressWarnings("unchecked")
  ImageArchive(File tarball) throws Exception {
    Map<String, Entry> outer = untar(Files.readAllBytes(tarball.toPath()));
    Entry manifestEntry = outer.get("manifest.json");
    if (manifestEntry == null) throw new IllegalStateException("no manifest.json in " + outer.keySet());
    List<Object> manifests = (List<Object>) Json.parse(new String(manifestEntry.content, StandardCharsets.UTF_8));
    if (manifests.size() != 1) throw new IllegalStateException("one image expected: " + manifests);
    manifest = (Map<String, Object>) manifests.get(0);
    configFile = (String) manifest.get("Config");
    configBytes = outer.get(configFile).content;
    config = (Map<String, Object>) Json.parse(new String(configBytes, StandardCharsets.UTF_8));
    for (Object layer : (List<Object>) manifest.get("Layers")) {
      byte[] bytes = outer.get((String) layer).content;
      if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) bytes = gunzip(bytes);
      diffIds.add("sha256:" + sha256(bytes));
      layers.add(untar(bytes));
    }
  }

  @SuppressWarnings("unchecked")
  List<String> repoTags() {
    return (List<String>) (List<?>) manifest.get("RepoTags");
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> containerConfig() {
    return (Map<String, Object>) config.get("config");
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> labels() {
    Object labels = containerConfig().get("Labels");
    return labels == null ? new LinkedHashMap<>() : (Map<String, Object>) labels;
  }

  /** The image's environment as a map (Env is a list of NAME=value). */
  @SuppressWarnings("unchecked")
  Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    Object list = containerConfig().get("Env");
    if (list != null) {
      for (Object item : (List<Object>) list) {
        String s = (String) item;
        int eq = s.indexOf('=');
        env.put(s.substring(0, eq), s.substring(eq + 1));
      }
    }
    return env;
  }

  /** Every regular file of the image's file system, all layers applied in order (no whiteouts expected). */
  Map<String, Entry> files() {
    Map<String, Entry> files = new LinkedHashMap<>();
    for (Map<String, Entry> layer : layers) {
      for (Entry e : layer.values()) {
        if (e.isFile()) files.put(e.path, e);
      }
    }
    return files;
  }

  static String sha256(byte[] bytes) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) sb.append(String.format("%02x", b));
    return sb.toString();
  }

  private static byte[] gunzip(byte[] bytes) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[65536];
      for (int n; (n = in.read(buffer)) > 0; ) out.write(buffer, 0, n);
      return out.toByteArray();
    }
  }

  /** The entries of a (ustar/pax) tar, by path. */
  static Map<String, Entry> untar(byte[] tar) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    int pos = 0;
    String paxPath = null;
    while (pos + 512 <= tar.length) {
      String name = field(tar, pos, 100);
      if (name.isEmpty()) break;
      String prefix = field(tar, pos + 345, 155);
      long size = octal(tar, pos + 124, 12);
      char type = (char) tar[pos + 156];
      int data = pos + 512;
      if (type == 'x') {
        String pax = new String(tar, data, (int) size, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\\d+ path=([^\\n]+)\\n").matcher(pax);
        paxPath = m.find() ? m.group(1) : null;
      } else if (type != 'g') {
        String path = paxPath != null ? paxPath : prefix.isEmpty() ? name : prefix + "/" + name;
        paxPath = null;
        while (path.startsWith("/")) path = path.substring(1);
        while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        byte[] content = new byte[(int) size];
        System.arraycopy(tar, data, content, 0, (int) size);
        entries.put(path, new Entry(path, type, (int) octal(tar, pos + 100, 8), octal(tar, pos + 136, 12),
            octal(tar, pos + 108, 8), octal(tar, pos + 116, 8), content));
      }
      pos = data + (int) ((size + 511) / 512 * 512);
    }
    return entries;
  }

  private static long octal(byte[] tar, int offset, int length) {
    String s = field(tar, offset, length).trim();
    return s.isEmpty() ? 0 : Long.parseLong(s, 8);
  }

  private static String field(byte[] tar, int offset, int length) {
    int end = offset;
    while (end < offset + length && tar[end] != 0) end++;
    return new String(tar, offset, end - offset, StandardCharsets.US_ASCII);
  }

  /** Just enough JSON for image manifests and configs: objects (ordered maps), arrays, strings, numbers, literals. */
  static final class Json {
    private final String s;
    private int i;

    private Json(String s) {
      this.s = s;
    }

    static Object parse(String text) {
      Json json = new Json(text);
      Object value = json.value();
      json.space();
      if (json.i != text.length()) throw new IllegalArgumentException("trailing text at " + json.i + ": " + text);
      return value;
    }

    private void space() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private Object value() {
      space();
      char c = s.charAt(i);
      if (c == '{') {
        Map<String, Object> map = new LinkedHashMap<>();
        i++;
        space();
        if (s.charAt(i) == '}') {
          i++;
          return map;
        }
        while (true) {
          space();
          String key = string();
          space();
          expect(':');
          map.put(key, value());
          space();
          if (s.charAt(i) == ',') {
            i++;
          } else {
            expect('}');
            return map;
          }
        }
      }
      if (c == '[') {
        List<Object> list = new ArrayList<>();
        i++;
        space();
        if (s.charAt(i) == ']') {
          i++;
          return list;
        }
        while (true) {
          list.add(value());
          space();
          if (s.charAt(i) == ',') {
            i++;
          } else {
            expect(']');
            return list;
          }
        }
      }
      if (c == '"') return string();
      int start = i;
      while (i < s.length() && ",}] \n\r\t".indexOf(s.charAt(i)) < 0) i++;
      String word = s.substring(start, i);
      if (word.equals("null")) return null;
      if (word.equals("true")) return Boolean.TRUE;
      if (word.equals("false")) return Boolean.FALSE;
      return Double.valueOf(word);
    }

    private String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = s.charAt(i++);
        if (c == '"') return sb.toString();
        if (c == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n': sb.append('\n'); break;
            case 't': sb.append('\t'); break;
            case 'r': sb.append('\r'); break;
            case 'b': sb.append('\b'); break;
            case 'f': sb.append('\f'); break;
            case 'u': sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
            default: sb.append(e);
          }
        } else {
          sb.append(c);
        }
      }
    }

    private void expect(char c) {
      if (s.charAt(i) != c) throw new IllegalArgumentException("expected " + c + " at " + i + ": " + s);
      i++;
    }
  }
}
