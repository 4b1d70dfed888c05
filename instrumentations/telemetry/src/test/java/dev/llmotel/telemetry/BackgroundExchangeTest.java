package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeQueues;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.ExchangeWorker;
import dev.llmotel.exchange.HeaderLookup;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Exchanges processed off the reporting thread: same facts, the times of the events, bounded queues. */
class BackgroundExchangeTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final ScriptedDialect dialect = new ScriptedDialect();
  private final List<CallRecord> calls = Collections.synchronizedList(new ArrayList<>());

  private TracedExchanges factory(ExchangeWorker worker, int maxQueuedBytes) {
    return factory(worker, maxQueuedBytes, 0);
  }

  private TracedExchanges factory(ExchangeWorker worker, int maxQueuedBytes, long idleTimeoutMillis) {
    return TracedExchanges.builder(Collections.singletonList(dialect), Pending.of(telemetry()))
        .listener(calls::add)
        .queues(new ExchangeQueues(worker, idleTimeoutMillis, maxQueuedBytes))
        .build();
  }

  private static ExchangeRequest request() {
    return new ExchangeRequest("POST", "https", "api.example.com", -1, "/llm/chat", null, HeaderLookup.NONE);
  }

  private static HeaderLookup sse() {
    return name -> name.equalsIgnoreCase("content-type") ? "text/event-stream" : null;
  }

  private static void feed(Exchange ex, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ex.responseBody(b, 0, b.length);
  }

  @Test
  void nothingIsParsedOnTheReportingThreadAndTheSpanCarriesTheTimesOfTheEvents() throws Exception {
    ExchangeWorker worker = ExchangeWorker.manual();
    TracedExchanges factory = factory(worker, 1 << 20);
    Exchange ex = factory.begin(request());
    byte[] model = "m-1".getBytes(StandardCharsets.UTF_8);
    ex.requestBody(model, 0, model.length);
    ex.requestBodyEnd();
    ex.response(200, sse());
    Thread.sleep(30);
    feed(ex, "x");
    feed(ex, "xx");
    Thread.sleep(20);
    ex.responseBodyEnd();
    assertEquals(0, dialect.request.size(), "parsed on the reporting thread");
    assertTrue(exporter.getFinishedSpanItems().isEmpty());

    Thread.sleep(300); // the worker is late; the span must not stretch
    worker.drain(1000);

    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertEquals("chat m-1", span.getName());
    assertEquals(3L, span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")));
    assertEquals("completed", span.getAttributes().get(AttributeKey.stringKey("llmotel.stream.outcome")));
    long durationMs = TimeUnit.NANOSECONDS.toMillis(span.getEndEpochNanos() - span.getStartEpochNanos());
    assertTrue(durationMs >= 50 && durationMs < 300, "span duration " + durationMs + " ms");
    double ttfc = span.getAttributes().get(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk"));
    assertTrue(ttfc >= 0.030 && ttfc < 0.050 + 0.250, "ttfc " + ttfc);
    CallRecord call = calls.get(0);
    assertEquals(span.getEndEpochNanos() - span.getStartEpochNanos(), call.durationNanos());
  }

  @Test
  void reportedBytesAreCopiedBecauseClientsReuseTheirBuffers() {
    ExchangeWorker worker = ExchangeWorker.manual();
    Exchange ex = factory(worker, 1 << 20).begin(request());
    byte[] buffer = "m-1".getBytes(StandardCharsets.UTF_8);
    ex.requestBody(buffer, 0, buffer.length);
    buffer[2] = '9';
    ex.requestBodyEnd();
    ex.response(200, HeaderLookup.NONE);
    ex.responseBodyEnd();
    worker.drain(1000);
    assertEquals("chat m-1", exporter.getFinishedSpanItems().get(0).getName());
  }

  @Test
  void pastTheQueueCapTheReportingThreadProcessesTheBacklogItself() {
    ExchangeWorker worker = ExchangeWorker.manual();
    Exchange ex = factory(worker, 16).begin(request());
    ex.response(200, sse());
    feed(ex, "xxxxxxxx");
    assertEquals(0, dialect.response.size());
    feed(ex, "xxxxxxxxxx"); // 18 bytes queued > 16
    assertEquals(18, dialect.response.size(), "backlog processed by the reporting thread");
    feed(ex, "$");
    worker.drain(1000);
    assertEquals(1, exporter.getFinishedSpanItems().size());
    assertEquals(18L, exporter.getFinishedSpanItems().get(0).getAttributes()
        .get(AttributeKey.longKey("llmotel.stream.chunks")));
  }

  @Test
  void eventsAfterTheEndAreDroppedAndADialectFailureStaysInside() {
    ExchangeWorker worker = ExchangeWorker.manual();
    Exchange ex = factory(worker, 1 << 20).begin(request());
    ex.response(200, sse());
    feed(ex, "x!"); // the dialect throws
    feed(ex, "x$");
    feed(ex, "xxxx");
    ex.responseBodyClosed();
    ex.failed(new java.io.IOException("late"));
    worker.drain(1000);
    assertEquals(1, exporter.getFinishedSpanItems().size());
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertNull(span.getAttributes().get(AttributeKey.stringKey("error.type")));
    assertEquals(Boolean.TRUE, dialect.endedComplete);
  }

  @Test
  void theBackgroundThreadEndsSpansWithoutBeingAsked() throws Exception {
    ExchangeWorker worker = ExchangeWorker.background(5);
    TracedExchanges factory = factory(worker, 1 << 20);
    for (int i = 0; i < 50; i++) {
      Exchange ex = factory.begin(request());
      ex.response(200, sse());
      feed(ex, "xx$");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (exporter.getFinishedSpanItems().size() < 50 && System.nanoTime() < deadline) Thread.sleep(5);
    assertEquals(50, exporter.getFinishedSpanItems().size());
  }

  @Test
  void atExitWaitingCallsAreProcessedAndCallsLeftOpenEndAsAbandoned() {
    ExchangeWorker worker = ExchangeWorker.manual();
    TracedExchanges factory = factory(worker, 1 << 20, 600_000);
    Exchange finished = factory.begin(request());
    finished.response(200, sse());
    feed(finished, "xx$");
    Exchange leftOpen = factory.begin(request());
    leftOpen.response(200, sse());
    feed(leftOpen, "x");
    assertTrue(exporter.getFinishedSpanItems().isEmpty());

    factory.endAtExit(1000);

    List<String> outcomes = new ArrayList<>();
    for (SpanData span : exporter.getFinishedSpanItems()) {
      outcomes.add(span.getAttributes().get(AttributeKey.stringKey("llmotel.stream.outcome")));
    }
    Collections.sort(outcomes);
    assertEquals(List.of("abandoned", "completed"), outcomes);
  }

  @Test
  void aBufferIsQueuedInOneCopyAndLeftAsItWas() {
    ExchangeWorker worker = ExchangeWorker.manual();
    Exchange ex = factory(worker, 1 << 20).begin(request());
    ex.response(200, sse());
    java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(64);
    direct.put("..xx$".getBytes(StandardCharsets.UTF_8)).flip();
    direct.position(2);
    ex.responseBody(direct);
    assertEquals(2, direct.position());
    assertEquals(5, direct.limit());
    direct.put(2, (byte) '!'); // the client reuses its buffer
    worker.drain(1000);
    assertEquals("xx$", dialect.response.toString());
    assertEquals("completed", exporter.getFinishedSpanItems().get(0).getAttributes()
        .get(AttributeKey.stringKey("llmotel.stream.outcome")));
  }

  private TracedExchanges starting(Pending<InferenceTelemetry> telemetry, ExchangeWorker worker,
      long startupWaitMillis, boolean defaultSampler) {
    return TracedExchanges.builder(Collections.singletonList(dialect), telemetry)
        .startupWaitMillis(startupWaitMillis)
        .listener(calls::add)
        .queues(new ExchangeQueues(worker, 0, 1 << 20))
        .defaultSampler(defaultSampler)
        .build();
  }

  private InferenceTelemetry telemetry() {
    SdkTracerProvider provider = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build();
    return new InferenceTelemetry(InferenceSpans.builder(provider.get("test")).build(), null, null);
  }

  private static void complete(Exchange ex) {
    byte[] model = "m-1".getBytes(StandardCharsets.UTF_8);
    ex.requestBody(model, 0, model.length);
    ex.requestBodyEnd();
    ex.response(200, sse());
    feed(ex, "xx$");
  }

  @Test
  void aCallMadeWhileTheSdkStartsDoesNotWaitAndItsSpanHasTheIdsItSent() {
    Pending<InferenceTelemetry> telemetry = new Pending<>();
    ExchangeWorker worker = ExchangeWorker.manual();
    TracedExchanges factory = starting(telemetry, worker, 60_000, true);
    // waiting would take the minute of start-up wait
    Exchange ex = assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> factory.begin(request()));
    assertNotNull(ex);
    String traceparent = ex.propagationHeaders().get("traceparent");
    assertTrue(traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), traceparent);
    complete(ex);

    telemetry.complete(telemetry());
    worker.drain(1000);

    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertEquals("chat m-1", span.getName());
    assertEquals(traceparent, "00-" + span.getTraceId() + "-" + span.getSpanId() + "-01");
    assertEquals(1, calls.size());
  }

  @Test
  void theWorkerWaitsForTheSdkItselfAndThenRecordsTheSpan() throws Exception {
    Pending<InferenceTelemetry> telemetry = new Pending<>();
    ExchangeWorker worker = ExchangeWorker.background(1);
    TracedExchanges factory = starting(telemetry, worker, 60_000, true);
    complete(factory.begin(request()));
    Thread.sleep(200); // the worker has taken the call and waits for telemetry
    assertTrue(exporter.getFinishedSpanItems().isEmpty());
    assertTrue(calls.isEmpty(), "the worker waits before finishing the call");

    telemetry.complete(telemetry());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (exporter.getFinishedSpanItems().isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
    assertEquals("chat m-1", exporter.getFinishedSpanItems().get(0).getName());
  }

  @Test
  void aCallFinishedOnTheApplicationsThreadNeverWaitsForTheSdk() {
    Pending<InferenceTelemetry> telemetry = new Pending<>();
    ExchangeWorker worker = ExchangeWorker.manual(); // draining here is not the worker's thread
    TracedExchanges factory = starting(telemetry, worker, 60_000, true);
    complete(factory.begin(request()));
    assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> worker.drain(1000));
    assertTrue(exporter.getFinishedSpanItems().isEmpty(), "no telemetry yet: the call waits for it");
    assertTrue(calls.isEmpty(), "and is reported once recorded");
    telemetry.complete(telemetry());
    assertEquals(1, exporter.getFinishedSpanItems().size(), "recorded once the SDK is up");
    assertEquals(1, calls.size());
  }

  @Test
  void withAnotherSamplerOrWhenTheSdkFailsCallsWaitOrGoUntraced() {
    Pending<InferenceTelemetry> never = new Pending<>();
    ExchangeWorker worker = ExchangeWorker.manual();
    long t0 = System.nanoTime();
    assertNull(starting(never, worker, 100, false).begin(request()), "another sampler: wait, then untraced");
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(90));

    Pending<InferenceTelemetry> failed = new Pending<>();
    Exchange ex = starting(failed, worker, 60_000, true).begin(request());
    complete(ex);
    failed.fail();
    worker.drain(1000);
    assertTrue(exporter.getFinishedSpanItems().isEmpty());
  }
}
