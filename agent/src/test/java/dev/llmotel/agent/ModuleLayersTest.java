package dev.llmotel.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The data flows one way (hook → exchange → dialect → telemetry → export) and each module's main code imports only
 * from the rooms below it: a hook never imports a dialect or telemetry, a dialect never imports a hook, telemetry or
 * another provider, the exchange and dialect layers never import OpenTelemetry. Maven's dependencies enforce most of
 * this; transitive dependencies would let a module slip, which this test catches from the sources' imports.
 */
class ModuleLayersTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);

  /** Module folder (a trailing {@code *}: every folder in it) → the {@code dev.llmotel} packages it may import. */
  private static final Map<String, List<String>> ALLOWED = new LinkedHashMap<>();
  /** Modules whose main code must not import OpenTelemetry at all. */
  private static final List<String> NO_OPENTELEMETRY = List.of("instrumentations/config", "instrumentations/exchange",
      "instrumentations/wire", "instrumentations/dialect-api", "instrumentations/dialect-support",
      "instrumentations/dialects/*",
      "instrumentations/hooks/*");

  static {
    ALLOWED.put("instrumentations/config", List.of("config"));
    ALLOWED.put("instrumentations/exchange", List.of("exchange"));
    ALLOWED.put("instrumentations/wire", List.of("wire"));
    ALLOWED.put("instrumentations/dialect-api", List.of("dialect!", "exchange"));
    ALLOWED.put("instrumentations/dialect-support", List.of("dialect!", "dialect.support", "exchange", "wire"));
    ALLOWED.put("instrumentations/dialects/*",
        List.of("dialect!", "dialect.support", "dialect.SELF", "exchange", "wire"));
    ALLOWED.put("instrumentations/telemetry", List.of("telemetry", "cost", "dialect!", "exchange"));
    ALLOWED.put("instrumentations/hooks/hook-api", List.of("hook!", "bootstrap", "config"));
    ALLOWED.put("instrumentations/hooks/*", List.of("hook!", "hook.SELF", "bootstrap", "config", "exchange"));
    ALLOWED.put("instrumentations/api-bridge", List.of("apibridge", "hook!", "bootstrap", "config", "telemetry"));
    ALLOWED.put("exporter-config", List.of("export", "config", "telemetry"));
  }

  @Test
  void everyModuleImportsOnlyFromTheLayersBelowIt() throws IOException {
    List<String> violations = new ArrayList<>();
    int checked = 0;
    for (Map.Entry<String, List<String>> rule : ALLOWED.entrySet()) {
      for (Path module : modules(rule.getKey())) {
        if (rule.getKey().endsWith("*") && ALLOWED.containsKey(ROOT.relativize(module).toString())) continue;
        for (Path source : sources(module)) {
          checked++;
          for (String imported : imports(source)) {
            if (imported.startsWith("dev.llmotel.") && !allowed(imported, rule.getValue(), ownPackage(source))) {
              violations.add(ROOT.relativize(source) + " imports " + imported);
            }
            if (imported.startsWith("io.opentelemetry.") && noOpenTelemetry(module)) {
              violations.add(ROOT.relativize(source) + " imports " + imported + " (no OpenTelemetry here)");
            }
          }
        }
      }
    }
    assertTrue(checked > 50, "only " + checked + " sources found under " + ROOT);
    assertEquals(List.of(), violations);
  }

  /** {@code x!}: exactly package {@code dev.llmotel.x}; {@code x.SELF}: the source's own {@code dev.llmotel.x.*}. */
  private static boolean allowed(String imported, List<String> rooms, String ownPackage) {
    String pkg = imported.substring(0, imported.lastIndexOf('.'));
    if (Character.isUpperCase(pkg.charAt(pkg.lastIndexOf('.') + 1))) pkg = pkg.substring(0, pkg.lastIndexOf('.'));
    for (String room : rooms) {
      if (room.endsWith("!")) {
        if (pkg.equals("dev.llmotel." + room.substring(0, room.length() - 1))) return true;
      } else if (room.endsWith(".SELF")) {
        String base = "dev.llmotel." + room.substring(0, room.length() - ".SELF".length()) + ".";
        if (ownPackage.startsWith(base)) {
          String own = base + ownPackage.substring(base.length()).split("\\.")[0];
          if (pkg.equals(own) || pkg.startsWith(own + ".")) return true;
        }
      } else if (pkg.equals("dev.llmotel." + room) || pkg.startsWith("dev.llmotel." + room + ".")) {
        return true;
      }
    }
    return false;
  }

  private static boolean noOpenTelemetry(Path module) {
    String rel = ROOT.relativize(module).toString();
    for (String m : NO_OPENTELEMETRY) {
      if (m.endsWith("*") ? rel.startsWith(m.substring(0, m.length() - 1)) : rel.equals(m)) return true;
    }
    return false;
  }

  private static List<Path> modules(String pattern) throws IOException {
    if (!pattern.endsWith("*")) return List.of(ROOT.resolve(pattern));
    try (Stream<Path> children = Files.list(ROOT.resolve(pattern.substring(0, pattern.length() - 2)))) {
      return children.filter(p -> Files.isDirectory(p.resolve("src/main/java"))).sorted().toList();
    }
  }

  private static List<Path> sources(Path module) throws IOException {
    Path main = module.resolve("src/main/java");
    if (!Files.isDirectory(main)) return List.of();
    try (Stream<Path> files = Files.walk(main)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  private static List<String> imports(Path source) throws IOException {
    List<String> out = new ArrayList<>();
    Matcher m = IMPORT.matcher(Files.readString(source));
    while (m.find()) out.add(m.group(1));
    return out;
  }

  private static String ownPackage(Path source) throws IOException {
    Matcher m = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE).matcher(Files.readString(source));
    return m.find() ? m.group(1) : "";
  }
}
