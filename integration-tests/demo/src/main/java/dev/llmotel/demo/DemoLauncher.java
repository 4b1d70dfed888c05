package dev.llmotel.demo;

import dev.llmotel.it.otlp.OtlpReceiver;
import dev.llmotel.it.otlp.ReceivedSpan;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the demo: starts an embedded OTLP receiver, launches {@link DemoApp} in its own JVM with
 * {@code -javaagent:llm-otel-agent.jar} (console lines and the usage summary switched on), and finally shows what
 * the receiver decoded from the agent's OTLP export — the same data a backend would get.
 */
public final class DemoLauncher {
  private DemoLauncher() {}

  public static void main(String[] args) throws Exception {
    File agent = new File(args[0]);
    File demo = new File(args[1]);
    if (!agent.isFile()) {
      System.err.println("agent jar not found: " + agent + " (build it first: mvn -B -q verify -DskipTests)");
      System.exit(2);
    }
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      List<String> command = new ArrayList<>();
      command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
      command.add("-javaagent:" + agent.getAbsolutePath());
      command.add("-jar");
      command.add(demo.getAbsolutePath());
      command.add("--calls");
      command.add("12");
      ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
      Map<String, String> env = pb.environment();
      env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
      env.put("OTEL_SERVICE_NAME", "llm-otel-demo");
      env.put("OTEL_BSP_SCHEDULE_DELAY", "200");
      env.put("OTEL_METRIC_EXPORT_INTERVAL", "1000");
      env.put("OTEL_INSTRUMENTATION_LLM_CONSOLE", "true");
      env.put("OTEL_INSTRUMENTATION_LLM_SUMMARY", "true");
      System.out.println("== llm-otel-demo: " + String.join(" ", command.subList(0, 2)) + " ... (OTLP -> "
          + receiver.endpoint() + ")");
      int exit = pb.start().waitFor();
      List<ReceivedSpan> spans = receiver.awaitSpans(s -> true, 12, Duration.ofSeconds(10));
      System.out.println();
      System.out.println("== the embedded OTLP receiver decoded " + spans.size() + " spans in "
          + receiver.traceRequests() + " export request(s), " + receiver.metricRequests() + " metrics request(s):");
      Map<String, int[]> byName = new TreeMap<>();
      for (ReceivedSpan s : spans) {
        int[] row = byName.computeIfAbsent(s.name() + " [" + s.kind() + ", " + s.attr("gen_ai.provider.name") + "]",
            k -> new int[3]);
        row[0]++;
        if (s.attr("gen_ai.usage.input_tokens") instanceof Number) {
          row[1] += ((Number) s.attr("gen_ai.usage.input_tokens")).intValue();
        }
        if (s.attr("gen_ai.usage.output_tokens") instanceof Number) {
          row[2] += ((Number) s.attr("gen_ai.usage.output_tokens")).intValue();
        }
      }
      byName.forEach((name, row) -> System.out.printf("   %3d x %-60s in=%d out=%d%n", row[0], name, row[1], row[2]));
      if (exit != 0) System.exit(exit);
      if (spans.isEmpty()) {
        System.err.println("no spans arrived: is the agent jar complete?");
        System.exit(1);
      }
    }
  }
}
