package dev.llmotel.it;

import static dev.llmotel.it.LlmSpanAssertions.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.simulator.LlmSimulator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Spring WebClient on Reactor Netty 1.3 (no Spring Boot): chat, an SSE stream through {@code bodyToFlux}, a stream
 * cut short with {@code take(2)}, a 429, and embeddings subscribed from a thread of its own. The app opens its own
 * spans through the OpenTelemetry API (bridged by the agent): every LLM span is the child of the span that was current
 * where the app subscribed, although Reactor Netty's event loop carries the call.
 */
class ReactorNettyAppTest extends AppContractTest {
  @Override
  String app() { return "reactor-netty"; }

  @Override
  Map<String, Long> expectedSpans() {
    return Map.of("app.request", 1L, "app.worker", 1L, "chat gpt-4o-mini", 2L, "chat sim-long", 1L,
        "chat sim-429", 1L, "embeddings text-embedding-3-small", 1L);
  }

  @Override
  boolean llmSpansAreRoots() { return false; }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void chat(Jdk jdk) {
    checkPlainChat(jdk);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void bodyToFluxStream(Jdk jdk) {
    checkStreamWithUsage(jdk);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void rateLimited(Jdk jdk) {
    assertHttpError(run(jdk).single("chat sim-429", named("chat sim-429")), 429, "rate_limit_exceeded");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void embeddingsSubscribedFromAnotherThread(Jdk jdk) {
    checkEmbeddings(jdk);
  }

  /** {@code take(2)} cancels the body: the span ends then, abandoned, long before the stream's last event. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void streamCutShortIsAbandoned(Jdk jdk) {
    ReceivedSpan s = run(jdk).single("chat sim-long", named("chat sim-long"));
    long total = LlmSimulator.LONG_STREAM_PIECES + 1;
    assertAll(s.toString(),
        () -> assertEquals(true, s.attr(STREAM)),
        () -> assertEquals("abandoned", s.attr(OUTCOME)),
        () -> {
          Object chunks = s.attr(CHUNKS);
          assertInstanceOf(Long.class, chunks, "llmotel.stream.chunks");
          assertTrue((Long) chunks >= 2 && (Long) chunks < total,
              "the app took 2 of " + total + " events; span says " + chunks);
        },
        () -> assertFalse(s.has(ERROR_TYPE)),
        () -> assertTrue(s.durationSeconds() < total * LlmSimulator.SLOW_GAP_MILLIS / 1000.0 / 2,
            "ended when the app cancelled, not at the stream's end: " + s.durationSeconds() + " s"));
  }

  /** The main thread's calls nest under app.request, the worker thread's under app.worker: one trace each. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void llmSpansAreChildrenOfTheSpanCurrentWhereTheAppSubscribed(Jdk jdk) {
    AppRun run = run(jdk);
    ReceivedSpan request = run.single("app.request", named("app.request"));
    ReceivedSpan worker = run.single("app.worker", named("app.worker"));
    assertTrue(run.withAgent().stderr().contains("app.request span id: " + request.spanId() + "\n"),
        "the exported app span is the one the app made current\n" + run.withAgent().stderr());
    for (ReceivedSpan llm : run.llmSpans()) {
      ReceivedSpan parent = llm.name().startsWith("embeddings") ? worker : request;
      assertAll(llm.toString(),
          () -> assertEquals(parent.traceId(), llm.traceId(), "trace of " + parent.name()),
          () -> assertEquals(parent.spanId(), llm.parentSpanId(), "parent " + parent.name()));
    }
    assertEquals("", request.parentSpanId());
    assertEquals("", worker.parentSpanId());
  }
}
