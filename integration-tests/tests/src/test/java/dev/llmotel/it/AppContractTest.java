package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.jvm.JvmRun;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.RecordedRequest;
import dev.llmotel.it.simulator.TraceParent;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every sample app must show, on every JDK: it runs cleanly without the agent, its stdout and exit code do not
 * change with the agent, and the agent exports exactly the expected spans, each a CLIENT span describing the call to
 * the simulator (under the app's provider), carrying no secret, whose id went out in the request's
 * {@code traceparent}. Subclasses add the
 * per-scenario span checks; all of them read one run per JDK.
 */
abstract class AppContractTest {
  static final String API_KEY = "sk-test";

  /** The app's directory under {@code integration-tests/apps}. */
  abstract String app();

  /** Span name to how many spans of that name the agent run must export (all spans, LLM or not). */
  abstract Map<String, Long> expectedSpans();

  /** The {@code gen_ai.provider.name} of the app's calls to the simulator. */
  String providerName() { return "openai"; }

  /** The {@code gen_ai.provider.name} of one LLM span (an app may call two providers). */
  String providerName(ReceivedSpan span) { return providerName(); }

  /** The model a simulator request asked for (the body's, unless the protocol puts it elsewhere). */
  String requestModel(RecordedRequest request) { return request.model(); }

  /** LLM spans have no parent unless the app opened a span of its own. */
  boolean llmSpansAreRoots() { return true; }

  /**
   * Whether the agent sees this request the app sent; an app may also call through a transport the agent does not
   * hook, whose requests get no span and no {@code traceparent} (its test checks them itself).
   */
  boolean observedRequest(RecordedRequest request) { return true; }

  static List<Jdk> jdks() { return Jdk.all(); }

  AppRun run(Jdk jdk) {
    int total = expectedSpans().values().stream().mapToInt(Long::intValue).sum();
    return AppRuns.get(app(), jdk, () -> AppLaunch.of(app(), jdk).appArgs(appArgs()).expectSpans(total).run());
  }

  /** Arguments for the app after the simulator's base URL; none by default. */
  String[] appArgs() { return new String[0]; }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void appRunsCleanlyWithoutAgent(Jdk jdk) {
    JvmRun plain = run(jdk).plain();
    assertAll(plain.describe(),
        () -> assertEquals(0, plain.exitCode()),
        () -> assertTrue(plain.stdout().endsWith("done\n"), "last line should be 'done'"),
        () -> assertFalse(plain.stdout().contains("exception:"), "a scenario failed without the agent"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void stdoutAndExitCodeUnchangedByAgent(Jdk jdk) {
    AppRun run = run(jdk);
    JvmRun withAgent = run.withAgent();
    assertEquals(run.plain().exitCode(), withAgent.exitCode(), withAgent.describe());
    assertEquals(run.plain().stdout(), withAgent.stdout(), "stdout differs with the agent\n" + withAgent.describe());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void exportsExactlyTheExpectedSpans(Jdk jdk) {
    AppRun run = run(jdk);
    Map<String, Long> exported = run.exported().stream()
        .collect(Collectors.groupingBy(ReceivedSpan::name, TreeMap::new, Collectors.counting()));
    assertEquals(new TreeMap<>(expectedSpans()), exported, "span names and counts\n" + run.dump());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void llmSpansDescribeTheCallToTheSimulator(Jdk jdk) {
    AppRun run = run(jdk);
    List<ReceivedSpan> llm = run.llmSpans();
    assertFalse(llm.isEmpty(), "no LLM span exported\n" + run.dump());
    for (ReceivedSpan s : llm) {
      String[] nameParts = s.name().split(" ", 2);
      assertAll(s.toString(),
          () -> assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, s.kind()),
          () -> assertEquals(nameParts[0], s.attr("gen_ai.operation.name")),
          () -> assertEquals(nameParts.length > 1 ? nameParts[1] : null, s.attr("gen_ai.request.model")),
          () -> assertEquals(providerName(s), s.attr("gen_ai.provider.name")),
          () -> assertEquals("127.0.0.1", s.attr("server.address")),
          () -> assertEquals((long) run.simulatorPort(), s.attr("server.port")),
          () -> assertEquals(AppLaunch.serviceName(app()), s.serviceName()),
          () -> {
            if (llmSpansAreRoots()) {
              assertEquals(logicalParentOf(s, llm), s.parentSpanId(),
                  "an LLM span of an app without spans has no parent but its logical call's");
            }
          });
    }
  }

  /** The span of a call its library retried (its attempts are its children). */
  static boolean isLogicalCall(ReceivedSpan s) {
    return s.has("llmotel.retry.count");
  }

  /** The id of the logical call {@code s} is an attempt of, or "" when it is none's. */
  static String logicalParentOf(ReceivedSpan s, List<ReceivedSpan> llm) {
    return llm.stream().filter(AppContractTest::isLogicalCall).map(ReceivedSpan::spanId)
        .filter(id -> id.equals(s.parentSpanId())).findFirst().orElse("");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void everyRequestCarriesTheTraceparentOfItsLlmSpan(Jdk jdk) {
    AppRun run = run(jdk);
    // a call the SDK retried is one logical span above its attempts: each request is one attempt
    List<ReceivedSpan> llm = run.llmSpans().stream().filter(s -> !isLogicalCall(s)).toList();
    List<RecordedRequest> requests = run.requestsWithAgent().stream().filter(this::observedRequest).toList();
    assertEquals(requests.size(), llm.size(), "one LLM span per request; requests: " + requests + "\n" + run.dump());
    for (RecordedRequest request : requests) {
      TraceParent tp = request.traceParent()
          .orElseGet(() -> fail("request without exactly one valid W3C traceparent: " + request));
      ReceivedSpan span = llm.stream().filter(s -> s.spanId().equals(tp.parentId())).findFirst().orElse(null);
      assertNotNull(span, "traceparent " + tp + " of " + request + " names no exported LLM span\n" + run.dump());
      assertAll(request.toString(),
          () -> assertEquals(span.traceId(), tp.traceId(), "trace id"),
          () -> assertEquals(requestModel(request), span.attr("gen_ai.request.model"), "span of another request"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void noTelemetryContainsTheApiKey(Jdk jdk) {
    AppRun run = run(jdk);
    assertFalse(run.exported().isEmpty(), "nothing exported\n" + run.dump());
    for (ReceivedSpan s : run.exported()) {
      assertFalse(s.protoText().contains(API_KEY), "the API key leaked into telemetry: " + s.protoText());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void receiverDecodedEveryExport(Jdk jdk) {
    AppRun run = run(jdk);
    run.withAgent();
    assertEquals(List.of(), run.receiverProblems());
  }

  // The chat scenarios several apps share: one body each, run for every transport (the app's test names them).

  /** The non-streamed gpt-4o-mini chat: full span, full usage. */
  void checkPlainChat(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("chat gpt-4o-mini, not streamed",
        LlmSpanAssertions.named("chat gpt-4o-mini").and(LlmSpanAssertions.streamed().negate()));
    LlmSpanAssertions.assertSuccessfulChat(s);
    LlmSpanAssertions.assertFullUsage(s);
    LlmSpanAssertions.assertNotStreamed(s);
  }

  /** The gpt-4o-mini stream with {@code include_usage}: completed, usage from the last chunk. */
  void checkStreamWithUsage(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("chat gpt-4o-mini, streamed, with usage",
        LlmSpanAssertions.named("chat gpt-4o-mini").and(LlmSpanAssertions.streamed())
            .and(LlmSpanAssertions.withUsage()));
    LlmSpanAssertions.assertSuccessfulChat(s);
    LlmSpanAssertions.assertFullUsage(s);
    LlmSpanAssertions.assertCompletedStream(s, LlmSpanAssertions.CHOICE_CHUNKS);
  }

  /** The gpt-4o-mini stream without {@code include_usage}: completed, no usage at all. */
  void checkStreamWithoutUsage(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("chat gpt-4o-mini, streamed, without usage",
        LlmSpanAssertions.named("chat gpt-4o-mini").and(LlmSpanAssertions.streamed())
            .and(LlmSpanAssertions.withUsage().negate()));
    LlmSpanAssertions.assertSuccessfulChat(s);
    LlmSpanAssertions.assertNoUsage(s);
    LlmSpanAssertions.assertCompletedStream(s, LlmSpanAssertions.CHOICE_CHUNKS);
  }

  /** The text-embedding-3-small call. */
  void checkEmbeddings(Jdk jdk) {
    LlmSpanAssertions.assertEmbeddings(run(jdk).single("embeddings",
        LlmSpanAssertions.named("embeddings text-embedding-3-small")));
  }
}
