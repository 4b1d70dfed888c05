package dev.llmotel.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The variables the agent reads: real environment variables, over those of a {@code .env} file in the working
 * directory (the backends' integration guides all use one). Values are trimmed; empty values count as unset.
 */
public final class EnvironmentSource {
  private final Map<String, String> env;
  private final Map<String, String> dotEnv;

  public EnvironmentSource(Map<String, String> env, Map<String, String> dotEnv) {
    this.env = env;
    this.dotEnv = dotEnv;
  }

  /** The process environment over {@code ./.env} (if readable). */
  public static EnvironmentSource load() {
    return new EnvironmentSource(System.getenv(), readDotEnv(Paths.get(".env")));
  }

  public String get(String name) {
    String v = env.get(name);
    if (v == null || v.trim().isEmpty()) v = dotEnv.get(name);
    return v == null || v.trim().isEmpty() ? null : v.trim();
  }

  /** Every variable, the environment's over the {@code .env} file's. */
  public Map<String, String> all() {
    Map<String, String> out = new HashMap<>(dotEnv);
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getValue() != null && !e.getValue().trim().isEmpty()) out.put(e.getKey(), e.getValue().trim());
    }
    return out;
  }

  static Map<String, String> readDotEnv(Path file) {
    if (!Files.isReadable(file)) return Collections.emptyMap();
    try {
      return parseDotEnv(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Collections.emptyMap();
    }
  }

  /** {@code KEY=value}, optional {@code export }, quotes, comments; malformed lines are skipped. */
  static Map<String, String> parseDotEnv(List<String> lines) {
    Map<String, String> out = new HashMap<>();
    for (String raw : lines) {
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("#")) continue;
      if (line.startsWith("export ")) line = line.substring(7).trim();
      int eq = line.indexOf('=');
      if (eq <= 0) continue;
      String key = line.substring(0, eq).trim();
      String value = line.substring(eq + 1).trim();
      if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
          && value.charAt(value.length() - 1) == value.charAt(0)) {
        value = value.substring(1, value.length() - 1);
      } else {
        int hash = value.indexOf(" #");
        if (hash >= 0) value = value.substring(0, hash).trim();
      }
      if (!value.isEmpty()) out.put(key, value);
    }
    return out;
  }
}
