package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.CHOICE_CHUNKS;
import static dev.llmotel.it.LlmSpanAssertions.CHUNKS;
import static dev.llmotel.it.LlmSpanAssertions.ERROR_TYPE;
import static dev.llmotel.it.LlmSpanAssertions.HTTP_STATUS;
import static dev.llmotel.it.LlmSpanAssertions.INPUT_TOKENS;
import static dev.llmotel.it.LlmSpanAssertions.OUTCOME;
import static dev.llmotel.it.LlmSpanAssertions.OUTPUT_TOKENS;
import static dev.llmotel.it.LlmSpanAssertions.STREAM;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.AnthropicPayloads;
import dev.llmotel.it.simulator.LlmSimulator;
import dev.llmotel.it.simulator.OpenAiPayloads;
import dev.llmotel.it.simulator.RecordedRequest;
import dev.llmotel.it.simulator.TraceParent;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Spring AI sample app ({@code apps/spring-ai-*}) run per variant (which jar: with or without Reactor Netty; which
 * build mode: Spring Boot's auto-configuration or models built by hand) and per JDK, each once without and once with
 * the agent. Every call the app makes (ChatClient call and stream, ChatModel call, for OpenAI and for Anthropic; an
 * OpenAI embedding; a stream abandoned after two pieces; a 429) must be one complete LLM span, found through the
 * {@code traceparent} of the request it describes, and the app's output must not change.
 *
 * <p>Two switches: {@code -Dit.reactor-netty-hook} (true by default) runs the variants whose calls go through Reactor
 * Netty; {@code -Dit.springai.known-gaps=true} runs the assertions on what the agent does not do yet (listed where they
 * are), which are otherwise skipped, saying why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SpringAiAppTest {
  static final String AGENT_SCOPE = "llm-otel-agent";
  static final String NETTY_HOOK = "it.reactor-netty-hook";
  static final String KNOWN_GAPS = "it.springai.known-gaps";
  static final String ANTHROPIC_MODEL = AnthropicPayloads.MODEL;

  /** A build mode of the app, and how many HTTP attempts its 429 takes (retries included). */
  record Mode(String name, int rateLimitAttempts) {}

  /**
   * One JVM run of the app: a jar of it (which class path) and the build modes it runs in turn; whether its calls go
   * through Reactor Netty, whether the agent can read its request bodies, and the transport the app reports.
   */
  record Variant(String jar, List<Mode> modes, boolean throughReactorNetty, String transport) {
    @Override
    public String toString() { return jar + " " + modes.stream().map(Mode::name).collect(Collectors.joining("+")); }

    String[] args() { return modes.stream().map(Mode::name).toArray(String[]::new); }
  }

  /** The app's directory under {@code integration-tests/apps}. */
  abstract String app();

  abstract List<Variant> variants();

  /** The exception class the app prints for the 429. */
  abstract String rateLimitException();

  /**
   * The run with Spring AI's observations traced through {@code GlobalOpenTelemetry} (the agent's bridge), on the class
   * path without Reactor Netty.
   */
  abstract Variant observed();

  /** JVM options of the observed run (Spring Boot properties the app's owner would set). */
  List<String> observedJvmArgs() { return List.of(); }

  /**
   * Whether a stream's agent span starts a trace of its own in the observed run (Spring AI's observation is then only
   * in the Reactor context, never the current span where the HTTP call begins): the tests of nesting and of tokens
   * counted once across all spans are then known gaps.
   */
  abstract boolean observedStreamsApart();

  Stream<Arguments> runs() {
    List<Arguments> runs = new ArrayList<>();
    for (Variant v : variants()) {
      for (Jdk jdk : Jdk.all()) runs.add(Arguments.of(v, jdk));
    }
    return runs.stream();
  }

  static List<Jdk> jdks() { return Jdk.all(); }

  /** The variant's run on one JDK (launched once, shared by every test); skipped while its transport is not hooked. */
  AppRun run(Variant v, Jdk jdk) {
    assumeTrue(!v.throughReactorNetty() || Boolean.getBoolean(NETTY_HOOK), "calls through Reactor Netty, "
        + "switched off by -D" + NETTY_HOOK + "=false");
    return AppRuns.get(app() + " " + v, jdk, () -> AppLaunch.of(app(), jdk).jar(v.jar()).appArgs(v.args())
        .expectSpans(expectedRequests(v).size()).run());
  }

  /** The requests the app must send, in order: path and model, plus " stream" for a streamed one. */
  static List<String> expectedRequests(Variant v) {
    List<String> requests = new ArrayList<>();
    for (Mode mode : v.modes()) {
      requests.addAll(List.of(
          "/v1/chat/completions gpt-4o-mini", "/v1/chat/completions gpt-4o-mini stream",
          "/v1/chat/completions gpt-4o-mini",
          "/v1/messages " + ANTHROPIC_MODEL, "/v1/messages " + ANTHROPIC_MODEL + " stream",
          "/v1/messages " + ANTHROPIC_MODEL,
          "/v1/embeddings " + OpenAiPayloads.EMBEDDING_MODEL, "/v1/chat/completions sim-long stream"));
      for (int i = 0; i < mode.rateLimitAttempts(); i++) requests.add("/v1/chat/completions sim-429");
    }
    return requests;
  }

  static String describe(RecordedRequest r) {
    return r.path() + " " + r.model() + (r.stream() ? " stream" : "");
  }

  // Output and requests: the agent changes neither

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("runs")
  void runsCleanlyWithoutAgent(Variant v, Jdk jdk) {
    JvmRun plain = run(v, jdk).plain();
    assertAll(plain.describe(),
        () -> assertEquals(0, plain.exitCode()),
        () -> assertTrue(plain.stdout().endsWith("done\n"), "last line should be 'done'"),
        () -> assertFalse(plain.stdout().contains("exception:"), "a scenario failed without the agent"),
        () -> assertEquals(v.modes().stream().map(m -> "mode: " + m.name()).toList(),
            plain.stdout().lines().filter(l -> l.startsWith("mode: ")).toList()),
        () -> assertEquals(v.modes().size(), count(plain.stdout(), "openai transport: " + v.transport() + "\n"),
            "the transport Spring really uses should be " + v.transport()),
        () -> assertEquals(v.modes().size(), count(plain.stdout(), "anthropic transport: " + v.transport() + "\n")),
        () -> assertEquals(v.modes().size(),
            count(plain.stdout(), "== openai rate-limited\nerror: " + rateLimitException() + "\n"),
            "the 429 should reach the app as " + rateLimitException()));
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
    return n;
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("runs")
  void stdoutAndExitCodeUnchangedByAgent(Variant v, Jdk jdk) {
    AppRun run = run(v, jdk);
    JvmRun withAgent = run.withAgent();
    assertEquals(run.plain().exitCode(), withAgent.exitCode(), withAgent.describe());
    assertEquals(run.plain().stdout(), withAgent.stdout(), "stdout differs with the agent\n" + withAgent.describe());
  }

  /** Every HTTP attempt the simulator saw, retries included (the 429 is retried only where the variant says so). */
  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("runs")
  void simulatorSawTheSameRequestsWithAndWithoutAgent(Variant v, Jdk jdk) {
    AppRun run = run(v, jdk);
    assertAll(
        () -> assertEquals(expectedRequests(v), run.plainRequests().stream().map(SpringAiAppTest::describe).toList(),
            "without the agent"),
        () -> assertEquals(expectedRequests(v), run.requestsWithAgent().stream().map(SpringAiAppTest::describe)
            .toList(), "with the agent"));
  }

  // One span per request, nothing else

  /** The spans the agent exported for each request, in request order; fails unless it is exactly one per request. */
  static List<ReceivedSpan> spansOfRequests(AppRun run) {
    List<ReceivedSpan> spans = new ArrayList<>();
    for (RecordedRequest request : run.requestsWithAgent()) {
      TraceParent tp = request.traceParent()
          .orElseGet(() -> fail("request without exactly one valid W3C traceparent: " + request + "\n" + run.dump()));
      List<ReceivedSpan> named = run.exported().stream().filter(s -> s.spanId().equals(tp.parentId())).toList();
      if (named.size() != 1) fail("traceparent " + tp + " of " + request + " names " + named.size() + " spans\n"
          + run.dump());
      assertEquals(named.get(0).traceId(), tp.traceId(), "trace id of " + request);
      spans.add(named.get(0));
    }
    return spans;
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("runs")
  void everyRequestIsOneClientSpanOfItsOwn(Variant v, Jdk jdk) {
    AppRun run = run(v, jdk);
    List<ReceivedSpan> spans = spansOfRequests(run);
    assertEquals(spans.size(), spans.stream().map(ReceivedSpan::spanId).distinct().count(), "one span per request");
    // besides: one logical span above the attempts of each call the SDK retried (Spring AI 2's openai-java, 429)
    assertEquals(spans.size(), run.exported().stream().filter(s -> !AppContractTest.isLogicalCall(s)).count(),
        "no span but the requests' spans\n" + run.dump());
    for (ReceivedSpan logical : run.exported().stream().filter(AppContractTest::isLogicalCall).toList()) {
      assertEquals(logical.attr("llmotel.retry.count"), spans.stream()
          .filter(s -> s.parentSpanId().equals(logical.spanId())).count() - 1, "attempts of " + logical);
    }
    List<RecordedRequest> requests = run.requestsWithAgent();
    for (int i = 0; i < spans.size(); i++) {
      ReceivedSpan s = spans.get(i);
      RecordedRequest request = requests.get(i);
      assertAll(s.toString(),
          () -> assertEquals(AGENT_SCOPE, s.scopeName()),
          () -> assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, s.kind()),
          () -> assertEquals(request.path().equals("/v1/embeddings") ? "embeddings" : "chat",
              s.attr("gen_ai.operation.name")),
          () -> assertEquals(request.path().equals("/v1/messages") ? "anthropic" : "openai",
              s.attr("gen_ai.provider.name")),
          () -> assertEquals("127.0.0.1", s.attr("server.address")),
          () -> assertEquals((long) run.simulatorPort(), s.attr("server.port")),
          () -> assertEquals(AppLaunch.serviceName(app()), s.serviceName()),
          () -> assertEquals(AppContractTest.logicalParentOf(s, run.exported()), s.parentSpanId(),
              "the app opens no span of its own: no parent but a retried call's logical span"),
          () -> assertFalse(s.protoText().contains(AppContractTest.API_KEY), "the API key leaked"));
    }
    assertEquals(List.of(), run.receiverProblems());
  }

  /**
   * The request's model on its span, and in the span's name. Spring's JDK HttpClient adapters (RestClient's and
   * WebClient's {@code JdkClientHttpRequest}) send the body through {@code BodyPublishers.fromPublisher}, which the
   * java.net.http hook sees through a tee publisher as the client sends it.
   */
  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("runs")
  void everySpanNamesTheRequestedModel(Variant v, Jdk jdk) {
    AppRun run = run(v, jdk);
    List<ReceivedSpan> spans = spansOfRequests(run);
    List<RecordedRequest> requests = run.requestsWithAgent();
    for (int i = 0; i < spans.size(); i++) {
      ReceivedSpan s = spans.get(i);
      RecordedRequest request = requests.get(i);
      assertAll(s.toString(),
          () -> assertEquals(request.model(), s.attr("gen_ai.request.model"), "request model of " + request),
          () -> assertEquals(s.attr("gen_ai.operation.name") + " " + request.model(), s.name()));
    }
  }

  // The calls, one by one (spans found through their requests)

  private static List<ReceivedSpan> spans(AppRun run, String path, String model, boolean stream) {
    List<ReceivedSpan> spans = spansOfRequests(run);
    List<RecordedRequest> requests = run.requestsWithAgent();
    List<ReceivedSpan> found = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      RecordedRequest r = requests.get(i);
      if (r.path().equals(path) && model.equals(r.model()) && r.stream() == stream) found.add(spans.get(i));
    }
    return found;
  }

  /** ChatClient call and ChatModel call, on OpenAI and on Anthropic: four complete, non-streamed spans. */
  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("runs")
  void chatCalls(Variant v, Jdk jdk) {
    AppRun run = run(v, jdk);
    List<ReceivedSpan> openAi = spans(run, "/v1/chat/completions", OpenAiPayloads.CHAT_MODEL, false);
    List<ReceivedSpan> anthropic = spans(run, "/v1/messages", ANTHROPIC_MODEL, false);
    assertEquals(2 * v.modes().size(), openAi.size(), run.dump());
    assertEquals(2 * v.modes().size(), anthropic.size(), run.dump());
    for (ReceivedSpan s : openAi) {
      LlmSpanAssertions.assertSuccessfulChat(s);
      LlmSpanAssertions.assertFullUsage(s);
      LlmSpanAssertions.assertNotStreamed(s);
    }
    for (ReceivedSpan s : anthropic) {
      assertAnthropicMessage(s);
      LlmSpanAssertions.assertNotStreamed(s);
    }
  }

  /** ChatClient stream, collected to its end, on OpenAI (usage asked for) and on Anthropic. */
  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("runs")
  void chatClientStreams(Variant v, Jdk jdk) {
    AppRun run = run(v, jdk);
    List<ReceivedSpan> openAi = spans(run, "/v1/chat/completions", OpenAiPayloads.CHAT_MODEL, true);
    List<ReceivedSpan> anthropic = spans(run, "/v1/messages", ANTHROPIC_MODEL, true);
    assertEquals(v.modes().size(), openAi.size(), run.dump());
    assertEquals(v.modes().size(), anthropic.size(), run.dump());
    for (ReceivedSpan o : openAi) {
      LlmSpanAssertions.assertSuccessfulChat(o);
      LlmSpanAssertions.assertFullUsage(o);
      LlmSpanAssertions.assertCompletedStream(o, CHOICE_CHUNKS);
    }
    for (ReceivedSpan a : anthropic) {
      assertAnthropicMessage(a);
      LlmSpanAssertions.assertCompletedStream(a, AnthropicPayloads.CONTENT_PIECES.size());
    }
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("runs")
  void embedding(Variant v, Jdk jdk) {
    AppRun run = run(v, jdk);
    List<ReceivedSpan> found = spans(run, "/v1/embeddings", OpenAiPayloads.EMBEDDING_MODEL, false);
    assertEquals(v.modes().size(), found.size(), run.dump());
    for (ReceivedSpan s : found) {
      assertAll(s.toString(),
          () -> assertEquals("embeddings", s.attr("gen_ai.operation.name")),
          () -> assertEquals(OpenAiPayloads.EMBEDDING_MODEL, s.attr("gen_ai.response.model")),
          () -> assertEquals(OpenAiPayloads.EMBEDDING_PROMPT_TOKENS, s.attr(INPUT_TOKENS)),
          () -> assertEquals((long) OpenAiPayloads.EMBEDDING_DIMENSIONS,
              s.attr("gen_ai.embeddings.dimension.count")),
          () -> assertEquals(200L, s.attr(HTTP_STATUS)),
          () -> assertFalse(s.has(ERROR_TYPE)),
          () -> assertFalse(s.has(STREAM)));
    }
  }

  /** {@code take(2)} on a 22-chunk stream: the span ends as abandoned when the app cancels, not at the stream's end. */
  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("runs")
  void abandonedStream(Variant v, Jdk jdk) {
    AppRun run = run(v, jdk);
    List<ReceivedSpan> found = spans(run, "/v1/chat/completions", "sim-long", true);
    assertEquals(v.modes().size(), found.size(), run.dump());
    long total = LlmSimulator.LONG_STREAM_PIECES + 2;
    for (ReceivedSpan s : found) {
      assertAll(s.toString(),
          () -> assertEquals(true, s.attr(STREAM)),
          () -> assertEquals("abandoned", s.attr(OUTCOME)),
          () -> {
            Object chunks = s.attr(CHUNKS);
            assertInstanceOf(Long.class, chunks, "llmotel.stream.chunks");
            assertTrue((Long) chunks >= 2 && (Long) chunks < total, "the app kept 2 pieces of " + total + " chunks");
          },
          () -> LlmSpanAssertions.assertTimeToFirstChunk(s, LlmSimulator.SLOW_GAP_MILLIS / 1000.0),
          // when the cancel reaches the HTTP client is Reactor's and Spring's business (under load it took 11
          // chunks once); the span must end then, before the server would have finished
          () -> assertTrue(s.durationSeconds() < total * LlmSimulator.SLOW_GAP_MILLIS / 1000.0,
              "the span must end when the app's cancel closes the stream: " + s.durationSeconds() + " s"),
          () -> assertFalse(s.has(ERROR_TYPE), "an abandoned stream is not an error"),
          () -> assertFalse(s.has("gen_ai.response.finish_reasons")));
    }
  }

  /**
   * The 429: one error span per HTTP attempt. A retry loop (the OpenAI SDK's under Spring AI 2) closes the bodies of
   * the attempts it retries without reading them, so those carry the status as their error type; the last attempt,
   * whose body the SDK reads, carries OpenAI's error code.
   */
  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("runs")
  void rateLimited(Variant v, Jdk jdk) {
    AppRun run = run(v, jdk);
    List<ReceivedSpan> attempts = spans(run, "/v1/chat/completions", "sim-429", false);
    assertEquals(v.modes().stream().mapToInt(Mode::rateLimitAttempts).sum(), attempts.size(),
        "HTTP attempts\n" + run.dump());
    int next = 0;
    for (Mode mode : v.modes()) {
      if (mode.rateLimitAttempts() > 1) {
        // the SDK's retries: one logical span above this mode's attempts
        List<ReceivedSpan> own = attempts.subList(next, next + mode.rateLimitAttempts());
        ReceivedSpan logical = run.exported().stream().filter(AppContractTest::isLogicalCall)
            .filter(l -> l.spanId().equals(own.get(0).parentSpanId())).findFirst()
            .orElseGet(() -> fail("no logical span above the retried 429's attempts\n" + run.dump()));
        assertAll(logical.toString(),
            () -> assertTrue(own.stream().allMatch(a -> a.parentSpanId().equals(logical.spanId()))),
            () -> assertEquals((long) mode.rateLimitAttempts() - 1, logical.attr("llmotel.retry.count")),
            () -> assertEquals("rate_limit_exceeded", logical.attr(ERROR_TYPE)),
            () -> assertEquals(Status.StatusCode.STATUS_CODE_ERROR, logical.statusCode()));
      }
      for (int i = 0; i < mode.rateLimitAttempts(); i++) {
        ReceivedSpan s = attempts.get(next++);
        String errorType = i == mode.rateLimitAttempts() - 1 ? "rate_limit_exceeded" : "429";
        assertAll(mode + ", attempt " + (i + 1) + ": " + s,
            () -> assertEquals(429L, s.attr(HTTP_STATUS)),
            () -> assertEquals(errorType, s.attr(ERROR_TYPE)),
            () -> assertEquals(Status.StatusCode.STATUS_CODE_ERROR, s.statusCode()),
            () -> assertFalse(s.has(INPUT_TOKENS), "usage on an error"));
      }
    }
  }

  /** Anthropic's scripted message: input tokens counted with the cache reads and writes, as the conventions ask. */
  static void assertAnthropicMessage(ReceivedSpan s) {
    assertAll(s.toString(),
        () -> assertEquals("chat", s.attr("gen_ai.operation.name")),
        () -> assertEquals(AnthropicPayloads.MESSAGE_ID, s.attr("gen_ai.response.id")),
        () -> assertEquals(AnthropicPayloads.RESPONSE_MODEL, s.attr("gen_ai.response.model")),
        () -> assertEquals(List.of("stop"), s.attr("gen_ai.response.finish_reasons")),
        () -> assertEquals(AnthropicPayloads.TOTAL_INPUT_TOKENS, s.attr(INPUT_TOKENS)),
        () -> assertEquals(AnthropicPayloads.OUTPUT_TOKENS, s.attr(OUTPUT_TOKENS)),
        () -> assertEquals(AnthropicPayloads.CACHE_READ_TOKENS, s.attr("gen_ai.usage.cache_read.input_tokens")),
        () -> assertEquals(AnthropicPayloads.CACHE_CREATION_TOKENS,
            s.attr("gen_ai.usage.cache_creation.input_tokens")),
        () -> assertEquals(200L, s.attr(HTTP_STATUS)),
        () -> assertFalse(s.has(ERROR_TYPE)));
  }

  // Spring AI's own observations, traced through GlobalOpenTelemetry (the agent's bridge), metrics on

  AppRun observedRun(Jdk jdk) {
    Variant v = observed();
    return AppRuns.get(app() + " " + v, jdk, () -> {
      AppLaunch launch = AppLaunch.of(app(), jdk).jar(v.jar()).appArgs(v.args());
      observedJvmArgs().forEach(launch::jvmArg);
      return launch.agentEnv("OTEL_METRICS_EXPORTER", "otlp").agentEnv("OTEL_METRIC_EXPORT_INTERVAL", "250")
          .expectSpans(expectedRequests(v).size(), s -> s.scopeName().equals(AGENT_SCOPE)).run();
    });
  }

  static List<ReceivedSpan> agentSpans(AppRun run) {
    return run.exported().stream().filter(s -> s.scopeName().equals(AGENT_SCOPE)).toList();
  }

  /** Spring AI's model spans (observation {@code gen_ai.client.operation}): {@code chat ...}, {@code embedding ...}. */
  static boolean isSpringAiModelSpan(ReceivedSpan s) {
    return !s.scopeName().equals(AGENT_SCOPE) && ("chat".equals(s.attr("gen_ai.operation.name"))
        || "embedding".equals(s.attr("gen_ai.operation.name")));
  }

  /** The nearest exported ancestor of {@code s} that is a Spring AI model span, or null. */
  static ReceivedSpan springAiAncestor(AppRun run, ReceivedSpan s) {
    Map<String, ReceivedSpan> byId = new LinkedHashMap<>();
    for (ReceivedSpan x : run.exported()) byId.put(x.spanId(), x);
    for (ReceivedSpan p = byId.get(s.parentSpanId()); p != null; p = byId.get(p.parentSpanId())) {
      if (isSpringAiModelSpan(p)) return p;
    }
    return null;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void observedRunUnchangedByAgent(Jdk jdk) {
    AppRun run = observedRun(jdk);
    JvmRun plain = run.plain();
    assertAll(plain.describe(),
        () -> assertEquals(0, plain.exitCode()),
        () -> assertTrue(plain.stdout().endsWith("done\n"), "last line should be 'done'"),
        () -> assertFalse(plain.stdout().contains("exception:"), "a scenario failed without the agent"),
        () -> assertEquals(expectedRequests(observed()), run.requestsWithAgent().stream()
            .map(SpringAiAppTest::describe).toList()),
        () -> assertEquals(plain.stdout(), run.withAgent().stdout(), "stdout differs with the agent"),
        () -> assertEquals(List.of(), run.receiverProblems()));
  }

  /**
   * With Spring's observations traced, the request's {@code traceparent} is the one Spring's HTTP client observation
   * wrote (the agent does not replace an application's); still one span of the agent's per HTTP attempt.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void observedEveryRequestStillOneAgentSpan(Jdk jdk) {
    AppRun run = observedRun(jdk);
    List<ReceivedSpan> agent = agentSpans(run).stream().filter(s -> !AppContractTest.isLogicalCall(s)).toList();
    assertEquals(run.requestsWithAgent().size(), agent.size(), run.dump());
    for (RecordedRequest request : run.requestsWithAgent()) {
      TraceParent tp = request.traceParent().orElseGet(() -> fail("no single traceparent on " + request));
      ReceivedSpan named = run.exported().stream().filter(s -> s.spanId().equals(tp.parentId())).findFirst()
          .orElse(null);
      assertNotNull(named, "traceparent " + tp + " of " + request + " names no exported span\n" + run.dump());
      assertEquals(named.traceId(), tp.traceId());
    }
  }

  /** Every call that is not a stream: the agent's span lies under Spring AI's span of that call, in its trace. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void observedCallsNestUnderSpringAisSpan(Jdk jdk) {
    AppRun run = observedRun(jdk);
    for (ReceivedSpan s : agentSpans(run)) {
      if (Boolean.TRUE.equals(s.attr(STREAM))) continue;
      ReceivedSpan above = springAiAncestor(run, s);
      assertNotNull(above, "no Spring AI span above " + s + "\n" + run.dump());
      Object model = s.attr("gen_ai.response.model");
      if (model != null) {
        assertEquals(model, above.attr("gen_ai.response.model"), "the Spring AI span of another call: " + above);
      } else {
        assertEquals("sim-429", above.attr("gen_ai.request.model"), "the Spring AI span of another call: " + above);
      }
    }
  }

  /** The agent's token metrics count each call once, whatever Spring AI records on its own spans and meters. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void observedTokensCountedOnceInTheAgentsMetrics(Jdk jdk) {
    AppRun run = observedRun(jdk);
    Map<String, String> sums = TelemetryRun.tokenSums(run.metrics(),
        p -> p.attr("gen_ai.operation.name") + " " + p.attr("gen_ai.provider.name") + "/"
            + p.attr("gen_ai.token.type"));
    Map<String, String> expected = new TreeMap<>(Map.of(
        "chat openai/input", "3 calls, " + 3 * OpenAiPayloads.PROMPT_TOKENS + " tokens",
        "chat openai/output", "3 calls, " + 3 * OpenAiPayloads.COMPLETION_TOKENS + " tokens",
        "chat anthropic/input", "3 calls, " + 3 * AnthropicPayloads.TOTAL_INPUT_TOKENS + " tokens",
        "chat anthropic/output", "3 calls, " + 3 * AnthropicPayloads.OUTPUT_TOKENS + " tokens",
        "embeddings openai/input", "1 calls, " + OpenAiPayloads.EMBEDDING_PROMPT_TOKENS + " tokens"));
    assertEquals(expected, sums, run.metrics().histogramSeries(MetricsExportTest.TOKEN_USAGE).toString());
  }

  /**
   * A stream's agent span is under Spring AI's span. Spring AI keeps a stream's observation in the Reactor context;
   * with Boot's {@code spring.reactor.context-propagation=auto} Reactor makes it the current span where Spring AI 1's
   * WebClient sends the request, so the agent sees it. Known gap where it does not ({@link #observedStreamsApart()}).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void observedStreamsNestUnderSpringAisSpan(Jdk jdk) {
    assumeTrue(!observedStreamsApart() || Boolean.getBoolean(KNOWN_GAPS), "known gap: streamed calls start a trace "
        + "of their own; -D" + KNOWN_GAPS + "=true asserts it");
    AppRun run = observedRun(jdk);
    for (ReceivedSpan s : agentSpans(run)) {
      if (Boolean.TRUE.equals(s.attr(STREAM))) {
        assertNotNull(springAiAncestor(run, s), "no Spring AI span above " + s + "\n" + run.dump());
      }
    }
  }

  /**
   * The agent's rule for an SDK tracing its own calls ({@code SdkAppTracing}): a bridged span inside which an LLM span
   * of the agent's began (its parent, or an ancestor further up, as with Spring AI 1 where Spring's RestClient / WebClient
   * observation sits between the two) drops its {@code gen_ai.usage.*} and says {@code llmotel.usage.on_child_span},
   * so a backend summing a trace's tokens counts them once. Streams sent outside their observation's scope are the
   * known gap ({@link #observedStreamsApart()}): there the agent's span is in a trace of its own and Spring AI's span
   * keeps its usage.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void observedTokensOnceWhereTheAgentsSpanIsUnderSpringAis(Jdk jdk) {
    AppRun run = observedRun(jdk);
    int nested = 0;
    for (ReceivedSpan agent : agentSpans(run)) {
      ReceivedSpan springAi = springAiAncestor(run, agent);
      if (springAi == null) continue;
      nested++;
      assertFalse(springAi.attributes().keySet().stream().anyMatch(k -> k.startsWith("gen_ai.usage.")),
          "usage left on Spring AI's span " + springAi + " above " + agent + "\n" + run.dump());
      if (agent.has("gen_ai.usage.input_tokens")) {
        assertEquals(true, springAi.attr("llmotel.usage.on_child_span"), springAi.toString());
      }
    }
    assertTrue(nested > 0, "no agent span under a Spring AI span\n" + run.dump());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void observedTokensOnceAcrossAllExportedSpans(Jdk jdk) {
    assumeTrue(!observedStreamsApart() || Boolean.getBoolean(KNOWN_GAPS), "known gap: Spring AI's spans of streamed "
        + "calls keep their usage (the agent's span is in a trace of its own); -D" + KNOWN_GAPS + "=true asserts it");
    AppRun run = observedRun(jdk);
    for (ReceivedSpan s : run.exported()) {
      if (!isSpringAiModelSpan(s)) continue;
      assertFalse(s.attributes().keySet().stream().anyMatch(k -> k.startsWith("gen_ai.usage.")),
          "usage left on Spring AI's span " + s + "\n" + run.dump());
    }
  }

}
