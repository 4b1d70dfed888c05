package dev.llmotel.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * What C2 compiled in a JFR recording of the comparison app (issue 13, BENCHMARKS.md "JIT work at 5 ms"): level-4
 * compilations grouped by the package of the method compiled (the compile's root; what it inlined counts there),
 * with their count, JFR duration (wall time: inflated on a loaded machine) and size of the code produced (does not
 * depend on the load; what C2 costs grows with it), then the largest ones.
 *
 * <pre>
 * java -XX:StartFlightRecording=filename=app.jfr,settings=jit.jfc ... -jar app.jar URL 3000 500 300 50
 * java -cp benchmarks/target/benchmarks.jar dev.llmotel.benchmarks.JitWork app.jfr [from-s to-s] [top]
 * </pre>
 *
 * The recording needs {@code jdk.Compilation} with threshold 0 ms and {@code jdk.ClassLoad} (the chat phase starts
 * when {@code ComparisonApp$Phase} is loaded; seconds are counted from there, or from the first event without it).
 */
public final class JitWork {
  private JitWork() {}

  public static void main(String[] args) throws Exception {
    List<RecordedEvent> events = RecordingFile.readAllEvents(Path.of(args[0]));
    double from = args.length > 2 ? Double.parseDouble(args[1]) : -1e9;
    double to = args.length > 2 ? Double.parseDouble(args[2]) : 1e9;
    int top = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    Instant start = null;
    for (RecordedEvent e : events) {
      if (start == null || e.getStartTime().isBefore(start)) start = e.getStartTime();
    }
    for (RecordedEvent e : events) {
      if (e.getEventType().getName().equals("jdk.ClassLoad")
          && e.getClass("loadedClass").getName().endsWith("ComparisonApp$Phase")) {
        start = e.getStartTime();
      }
    }
    Map<String, long[]> groups = new LinkedHashMap<>();
    long[] total = new long[3];
    List<String> largest = new ArrayList<>();
    for (RecordedEvent e : events) {
      if (!e.getEventType().getName().equals("jdk.Compilation") || e.getInt("compileLevel") != 4) continue;
      double at = Duration.between(start, e.getStartTime()).toNanos() / 1e9;
      if (at < from || at >= to) continue;
      RecordedMethod m = e.getValue("method");
      String type = m.getType().getName();
      long ms = e.getDuration().toMillis();
      long bytes = e.getLong("codeSize");
      long[] g = groups.computeIfAbsent(group(type), k -> new long[3]);
      g[0]++;
      g[1] += ms;
      g[2] += bytes;
      total[0]++;
      total[1] += ms;
      total[2] += bytes;
      largest.add(String.format("%8d B %6d ms at %7.1f s  %s.%s%s", bytes, ms, at, type, m.getName(),
          e.getBoolean("isOsr") ? " (OSR)" : ""));
    }
    System.out.println("C2 (level 4) compilations by the compiled method's package: count, JFR ms, code bytes");
    groups.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[2], a.getValue()[2]))
        .forEach(g -> System.out.printf("  %-36s %5d %7d %9d%n", g.getKey(), g.getValue()[0], g.getValue()[1],
            g.getValue()[2]));
    System.out.printf("  %-36s %5d %7d %9d%n", "total", total[0], total[1], total[2]);
    System.out.println("largest:");
    largest.sort((a, b) -> Long.compare(Long.parseLong(b.trim().split(" ")[0]), Long.parseLong(a.trim().split(" ")[0])));
    largest.stream().limit(top).forEach(s -> System.out.println("  " + s));
  }

  static String group(String type) {
    if (type.startsWith("dev.llmotel.it.")) return "the app";
    if (type.startsWith("dev.llmotel.")) return "ours: dev.llmotel." + type.split("\\.")[2];
    if (type.startsWith("io.opentelemetry.javaagent") || type.startsWith("io.opentelemetry.instrumentation")) {
      return "official agent's instrumentation";
    }
    if (type.startsWith("io.opentelemetry.exporter")) return "OpenTelemetry exporter";
    if (type.startsWith("io.opentelemetry")) return "OpenTelemetry SDK/API";
    if (type.startsWith("com.fasterxml.jackson")) return "Jackson";
    if (type.startsWith("net.bytebuddy") || type.contains(".bytebuddy.")) return "ByteBuddy";
    if (type.startsWith("okhttp3") || type.startsWith("okio") || type.startsWith("kotlin")) return "OkHttp/Okio/Kotlin";
    return "JDK";
  }
}
