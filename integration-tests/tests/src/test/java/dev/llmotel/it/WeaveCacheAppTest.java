package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.AgentJvm;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.otlp.OtlpReceiver;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.LlmSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The weave cache across real runs of the OkHttp app: the first run weaves OkHttp's classes (and, at exit, the JDK's
 * HttpURLConnection for the export) and records them; the next run loads the same woven bytes from the cache, without
 * weaving or warming up, and another JVM weaving from scratch writes the same bytes (damaged entries, other hooks,
 * changed superclasses: WeaveCacheTest). Each run exports the same spans, and the app's output is its output without
 * the agent.
 */
class WeaveCacheAppTest {
  private static final Pattern WOVEN = Pattern.compile("instrumented (\\S+) in \\d+ ms( \\(from the weave cache\\))?");

  @TempDir Path cacheDir;
  @TempDir Path otherCacheDir;

  /** The app of a test: OkHttp's (unnamed module), or the JDK's java.net.http (a named module needing read edges). */
  private String app = "okhttp";

  private String app() { return app; }

  private Map<String, Long> expectedSpans() {
    return app.equals("okhttp") ? Map.of("chat gpt-4o-mini", 2L, "chat sim-huge", 1L, "chat sim-429", 1L)
        : Map.of("chat gpt-4o-mini", 3L, "embeddings text-embedding-3-small", 1L, "chat sim-huge", 1L);
  }

  static List<Jdk> jdks() { return Jdk.all(); }

  /** The app without the agent (shared with OkHttpAppTest's runs when they ran in this JVM). */
  private JvmRun plain(Jdk jdk) {
    int total = expectedSpans().values().stream().mapToInt(Long::intValue).sum();
    return AppRuns.get(app(), jdk, () -> AppLaunch.of(app(), jdk).expectSpans(total).run()).plain();
  }

  private record CachedRun(JvmRun jvm, Map<String, Boolean> woven, Map<String, String> spans) {}

  /** One run with the cache in {@code cacheDir}: which classes were woven (true: from the cache), and the spans. */
  private CachedRun runWithCache(Jdk jdk) throws Exception {
    return runWithCache(jdk, cacheDir);
  }

  private CachedRun runWithCache(Jdk jdk, Path cacheDir) throws Exception {
    try (LlmSimulator simulator = LlmSimulator.start(); OtlpReceiver receiver = OtlpReceiver.start()) {
      JvmRun run = AgentJvm.app(jdk, TestArtifacts.appJar(app()))
          .agent(TestArtifacts.requireAgentJar())
          .env(AgentJvm.agentEnvironment(receiver.endpoint(), AppLaunch.serviceName(app())))
          .env("OTEL_INSTRUMENTATION_LLM_WEAVE_CACHE_DIR", cacheDir.toString())
          .env("OTEL_JAVAAGENT_DEBUG", "true")
          .args(simulator.baseUrl())
          .timeout(Duration.ofSeconds(90))
          .run();
      long expected = expectedSpans().values().stream().mapToLong(Long::longValue).sum();
      List<ReceivedSpan> spans = receiver.awaitSpans(s -> true, (int) expected, OtlpReceiver.DEFAULT_WAIT);
      Map<String, Boolean> woven = new TreeMap<>();
      Matcher m = WOVEN.matcher(run.stderr());
      while (m.find()) woven.put(m.group(1), m.group(2) != null);
      // what a span says apart from its ids and times, in a stable order
      Map<String, String> described = new TreeMap<>();
      for (ReceivedSpan s : spans) {
        Map<String, Object> attrs = new TreeMap<>(s.attributes());
        attrs.keySet().removeIf(k -> k.equals("server.port") || k.contains("time_to_first") || k.contains("duration"));
        described.merge(s.name() + " " + attrs, "x", String::concat);
      }
      return new CachedRun(run, woven, described);
    }
  }

  /** Each entry's file name and bytes. */
  private static Map<String, String> entries(Path dir) throws Exception {
    Map<String, String> entries = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path entry : files.filter(p -> p.toString().endsWith(".woven")).collect(Collectors.toList())) {
        entries.put(entry.getFileName().toString(), java.util.Base64.getEncoder().encodeToString(
            Files.readAllBytes(entry)));
      }
    }
    return entries;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void theNextRunLoadsTheWovenClassesFromTheCache(Jdk jdk) throws Exception {
    JvmRun plain = plain(jdk);
    CachedRun first = runWithCache(jdk);
    Map<String, String> recorded = entries(cacheDir);
    runWithCache(jdk, otherCacheDir); // another JVM weaving the same classes from scratch
    Map<String, String> recordedAgain = entries(otherCacheDir);
    CachedRun next = runWithCache(jdk);
    String stderr = next.jvm().stderr();
    assertAll(next.jvm().describe(),
        () -> assertEquals(plain.stdout(), first.jvm().stdout(), "the app's output, first run"),
        () -> assertEquals(plain.stdout(), next.jvm().stdout(), "the app's output, from the cache"),
        () -> assertTrue(first.woven().containsKey("okhttp3.OkHttpClient")
            && first.woven().containsKey("okhttp3.internal.connection.RealCall"), "woven: " + first.woven()),
        () -> assertFalse(first.woven().containsValue(true), "nothing in the cache at first: " + first.woven()),
        () -> assertEquals(first.woven().keySet(), next.woven().keySet(), "the same classes"),
        () -> assertEquals(first.woven().size(), recorded.size(), "one entry per woven class: " + recorded.keySet()),
        () -> assertEquals(recorded, recordedAgain, "weaving is deterministic: another JVM wrote the same bytes"),
        () -> assertFalse(next.woven().containsValue(false), "all from the cache: " + next.woven()),
        () -> assertTrue(stderr.contains("no warm-up of the libraries' hooks"), "no warm-up needed"),
        () -> assertFalse(stderr.contains("could not instrument"), "no failure"),
        () -> assertEquals(first.spans(), next.spans(), "the same spans from cached classes"),
        () -> assertEquals(expectedSpans().values().stream().mapToLong(Long::longValue).sum(),
            first.spans().values().stream().mapToLong(String::length).sum(), "every span: " + first.spans()));
  }

  /**
   * java.net.http: its classes live in a named module, which must be given a read edge to the agent's bridge for the
   * woven advice to link; from the cache that edge is added without ByteBuddy ({@code ReadEdges}). Were it missing,
   * the advice's link error would be swallowed and the spans would be missing.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void aNamedModulesClassesFromTheCacheAreTracedAsWoven(Jdk jdk) throws Exception {
    app = "java-http-client";
    JvmRun plain = plain(jdk);
    CachedRun first = runWithCache(jdk);
    CachedRun next = runWithCache(jdk);
    assertAll(next.jvm().describe(),
        () -> assertEquals(plain.stdout(), next.jvm().stdout(), "the app's output, from the cache"),
        () -> assertTrue(first.woven().keySet().stream().anyMatch(c -> c.startsWith("jdk.internal.net.http.")),
            "woven: " + first.woven()),
        () -> assertFalse(next.woven().containsValue(false), "all from the cache: " + next.woven()),
        () -> assertEquals(first.spans(), next.spans(), "the same spans from cached classes"),
        () -> assertEquals(expectedSpans().values().stream().mapToLong(Long::longValue).sum(),
            next.spans().values().stream().mapToLong(String::length).sum(), "every span: " + next.spans()));
  }
}
