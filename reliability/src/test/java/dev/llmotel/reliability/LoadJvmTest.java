package dev.llmotel.reliability;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.llmotel.it.jvm.AgentJvm;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.otlp.HistogramPoint;
import dev.llmotel.it.otlp.OtlpReceiver;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.LlmSimulator;
import dev.llmotel.reliability.loadapp.LoadApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The load run in a real JVM with the agent ({@code -javaagent}, like the integration tests): {@link LoadApp} makes
 * {@code reliability.jvm.threads} × {@code reliability.jvm.calls} calls (8 × 100 in the normal build; the issue's
 * 32 × 10,000 with {@code -Dreliability.jvm.threads=32 -Dreliability.jvm.calls=10000 -Dreliability.xmx=6g}) with the
 * JDK's HttpClient to the LLM simulator, by turns plain, streamed with usage, and streamed without usage abandoned
 * after the first event; the agent exports spans and metrics over OTLP to a receiver that decodes them. Asserts
 * exactly one span per call (distinct span ids), the exact input and output token sums in the
 * {@code gen_ai.client.token.usage} histogram (and on the spans), the bytes the app read the same as without the agent
 * (up to 1,000 calls per thread), and no thread growth in the app between the middle and the end of the run.
 */
class LoadJvmTest {
  static final int THREADS = Integer.getInteger("reliability.jvm.threads", 8);
  static final int CALLS = Integer.getInteger("reliability.jvm.calls", 100);
  static final int WARM_UP = 3;
  /** The run without the agent makes as many calls up to 1,000 per thread (it is compared), else 30 (a smoke run). */
  static final int REFERENCE_CALLS = CALLS <= 1_000 ? CALLS : 30;
  static final long INPUT_TOKENS = 11;
  static final long OUTPUT_TOKENS = 7;

  static Path agentJar() {
    Path jar = Path.of(System.getProperty("agent.jar", "../agent/target/llm-otel-agent.jar")).toAbsolutePath()
        .normalize();
    if (!Files.isRegularFile(jar)) fail("agent jar not found: " + jar + " (build with -am: mvn -B -o -pl reliability -am verify)");
    return jar;
  }

  static Path testClasses() throws Exception {
    return Path.of(LoadApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  static Map<String, Long> parse(String stdout) {
    Map<String, Long> values = new HashMap<>();
    for (String line : stdout.split("\n")) {
      if (!line.startsWith("plain=")) continue;
      for (String pair : line.trim().split(" ")) {
        String[] kv = pair.split("=");
        values.put(kv[0], Long.parseLong(kv[1]));
      }
    }
    return values;
  }

  @Test
  void everyCallOneSpanAndExactTokenSumsInTheMetrics() throws Exception {
    long calls = (long) THREADS * (CALLS + WARM_UP);
    Duration timeout = Duration.ofMinutes(5 + calls / 2_000);
    JvmRun plain;
    try (LlmSimulator simulator = LlmSimulator.start()) {
      plain = AgentJvm.mainClass(Jdk.current(), testClasses(), LoadApp.class.getName())
          .args(simulator.baseUrl(), Integer.toString(THREADS), Integer.toString(REFERENCE_CALLS))
          .timeout(timeout).run();
    }
    JvmRun run;
    try (LlmSimulator simulator = LlmSimulator.start(); OtlpReceiver receiver = OtlpReceiver.start()) {
      run = AgentJvm.mainClass(Jdk.current(), testClasses(), LoadApp.class.getName())
          .agent(agentJar())
          .env(AgentJvm.agentEnvironment(receiver.endpoint(), "reliability-load"))
          .env("OTEL_METRICS_EXPORTER", "otlp")
          // the SDK's span queue (2,048 by default) drops spans when 32 threads outrun one exporter: that is the
          // SDK's documented overload behaviour, not the agent's; a queue as large as the run keeps every span
          .env("OTEL_BSP_MAX_QUEUE_SIZE", Long.toString(Math.max(2048, calls)))
          .env("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "2048")
          .env("OTEL_INSTRUMENTATION_LLM_SHUTDOWN_TIMEOUT_MILLIS", "60000")
          .args(simulator.baseUrl(), Integer.toString(THREADS), Integer.toString(CALLS))
          .timeout(timeout).run();
      Map<String, Long> app = parse(run.stdout());
      List<ReceivedSpan> spans = receiver.spans();
      Set<String> ids = new HashSet<>();
      long spanInput = 0;
      long spanOutput = 0;
      long chatSpans = 0;
      for (ReceivedSpan s : spans) {
        if (!s.name().equals("chat gpt-4o-mini")) continue;
        chatSpans++;
        ids.add(s.spanId());
        Object in = s.attr("gen_ai.usage.input_tokens");
        Object out = s.attr("gen_ai.usage.output_tokens");
        if (in != null) spanInput += (Long) in;
        if (out != null) spanOutput += (Long) out;
      }
      Map<Object, HistogramPoint> byType = new HashMap<>();
      for (HistogramPoint p : receiver.histogramSeries("gen_ai.client.token.usage")) {
        byType.merge(p.attr("gen_ai.token.type"), p, (a, b) -> { throw new AssertionError("two series " + a + b); });
      }
      HistogramPoint input = byType.get("input");
      HistogramPoint output = byType.get("output");
      String summary = String.format("%d threads x %d calls (+%d warm-up): app %s; spans %d (distinct ids %d), "
              + "span tokens %d/%d; token histogram input count %s sum %s, output count %s sum %s; metric requests %d;"
              + " app JVM %d ms",
          THREADS, CALLS, WARM_UP, app, chatSpans, ids.size(), spanInput, spanOutput,
          input == null ? null : input.count(), input == null ? null : input.sum(),
          output == null ? null : output.count(), output == null ? null : output.sum(), receiver.metricRequests(),
          run.elapsed().toMillis());
      record(summary);
      // the calls that got their answer with usage (plain and streamed; an abandoned stream asks for none): a call
      // the JDK client fails at once on a pooled connection the server closed ("header parser received no bytes",
      // 2 of 320,096 in the full run) gets a span with the error and no usage
      final long usage = app.getOrDefault("plain", 0L) + app.getOrDefault("streamed", 0L);
      final long inputSum = spanInput;
      final long outputSum = spanOutput;
      final long chat = chatSpans;
      long threadsAfterWarmUp = app.getOrDefault("threadsAfterWarmUp", -1L);
      long threadsAtEnd = app.getOrDefault("threadsAtEnd", -1L);
      assertAll(summary + "\n" + run.describe(),
          () -> assertEquals(0, run.exitCode(), "exit code"),
          // the JDK client's race on a pooled connection the server closed (above) fails a call now and then, with
          // or without the agent: one such failure in either run is the client's, not the agent's
          () -> assertTrue(app.get("failures") <= calls / 10_000 + 1, "calls failed: " + app.get("failures")),
          () -> assertTrue(parse(plain.stdout()).get("failures") <= REFERENCE_CALLS / 10_000 + 1,
              "calls failed without the agent: " + parse(plain.stdout()).get("failures")),
          () -> {
            Map<String, Long> reference = parse(plain.stdout());
            if (REFERENCE_CALLS == CALLS && app.get("failures") == 0 && reference.get("failures") == 0) {
              assertEquals(reference.get("bytes"), app.get("bytes"), "bytes the app read, without and with the agent");
            }
          },
          () -> assertEquals(calls, app.get("plain") + app.get("streamed") + app.get("abandoned") + app.get("failures"),
              "calls made"),
          () -> assertEquals(calls, chat, "one span per call"),
          () -> assertEquals(calls, ids.size(), "distinct span ids"),
          () -> assertEquals(usage * INPUT_TOKENS, inputSum, "input tokens on the spans"),
          () -> assertEquals(usage * OUTPUT_TOKENS, outputSum, "output tokens on the spans"),
          () -> assertEquals(usage, input == null ? -1 : input.count(), "input token recordings"),
          () -> assertEquals((double) usage * INPUT_TOKENS, input == null ? -1 : input.sum(), "input token sum"),
          () -> assertEquals(usage, output == null ? -1 : output.count(), "output token recordings"),
          () -> assertEquals((double) usage * OUTPUT_TOKENS, output == null ? -1 : output.sum(),
              "output token sum"),
          () -> assertTrue(threadsAfterWarmUp > 0 && threadsAtEnd <= threadsAfterWarmUp + 2,
              "threads " + threadsAfterWarmUp + " -> " + threadsAtEnd));
    }
  }

  private static void record(String summary) throws IOException {
    Path out = Path.of("target", "load-jvm.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, summary + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    System.out.println(summary);
  }
}
