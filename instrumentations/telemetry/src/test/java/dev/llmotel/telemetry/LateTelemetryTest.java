package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeQueues;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.ExchangeWorker;
import dev.llmotel.exchange.HeaderLookup;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The telemetry (the SDK) is built on a background thread; on a loaded machine it can come up after the first calls
 * have ended, after the start-up wait, or only while the JVM exits. Those calls are recorded once it is up.
 */
class LateTelemetryTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final ScriptedDialect dialect = new ScriptedDialect();
  private final List<CallRecord> calls = Collections.synchronizedList(new ArrayList<>());

  private TracedExchanges starting(Pending<InferenceTelemetry> telemetry, ExchangeWorker worker,
      long startupWaitMillis) {
    return TracedExchanges.builder(Collections.singletonList(dialect), telemetry)
        .startupWaitMillis(startupWaitMillis)
        .listener(calls::add)
        .queues(new ExchangeQueues(worker, 0, 1 << 20))
        .defaultSampler(true)
        .build();
  }

  private InferenceTelemetry telemetry() {
    SdkTracerProvider provider = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build();
    return new InferenceTelemetry(InferenceSpans.builder(provider.get("test")).build(), null, null);
  }

  private static ExchangeRequest request() {
    return new ExchangeRequest("POST", "https", "api.example.com", -1, "/llm/chat", null, HeaderLookup.NONE);
  }

  private static void complete(Exchange ex) {
    byte[] model = "m-1".getBytes(StandardCharsets.UTF_8);
    ex.requestBody(model, 0, model.length);
    ex.requestBodyEnd();
    ex.response(200, name -> name.equalsIgnoreCase("content-type") ? "text/event-stream" : null);
    byte[] b = "xx$".getBytes(StandardCharsets.UTF_8);
    ex.responseBody(b, 0, b.length);
  }

  private void awaitSpans(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (exporter.getFinishedSpanItems().size() < n && System.nanoTime() < deadline) Thread.sleep(5);
  }

  @Test
  void aCallEndedOnTheWorkerIsRecordedWhenTheSdkComesUpPastTheStartupWait() throws Exception {
    Pending<InferenceTelemetry> telemetry = new Pending<>();
    ExchangeWorker worker = ExchangeWorker.background(1);
    TracedExchanges factory = starting(telemetry, worker, 50);
    complete(factory.begin(request()));
    complete(factory.begin(request()));
    Thread.sleep(300); // a loaded machine: the SDK is not up within the start-up wait
    assertTrue(exporter.getFinishedSpanItems().isEmpty());

    telemetry.complete(telemetry());
    awaitSpans(2);
    assertEquals(2, exporter.getFinishedSpanItems().size(), "both early calls recorded");
    assertEquals("chat m-1", exporter.getFinishedSpanItems().get(0).getName());
    assertEquals(2, calls.size());
  }

  @Test
  void aCallProcessedAtExitIsRecordedOnceTheSdkComesUpBeforeTheFlush() {
    Pending<InferenceTelemetry> telemetry = new Pending<>();
    ExchangeWorker worker = ExchangeWorker.manual(); // the exit drain: not the worker's thread, never waits
    TracedExchanges factory = starting(telemetry, worker, 0);
    complete(factory.begin(request()));
    assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> factory.endAtExit(1000));
    assertTrue(exporter.getFinishedSpanItems().isEmpty());
    assertTrue(calls.isEmpty(), "told once, when recorded");

    telemetry.complete(telemetry()); // the exit waits (a bounded time) for the SDK, then flushes
    assertEquals(1, exporter.getFinishedSpanItems().size());
    assertEquals(1, calls.size());
  }

  @Test
  void atMostABoundedNumberOfCallsWaitAndAFailedSdkLeavesThemUntracedButReported() {
    Pending<InferenceTelemetry> telemetry = new Pending<>();
    ExchangeWorker worker = ExchangeWorker.manual();
    TracedExchanges factory = starting(telemetry, worker, 0);
    int n = TracedCall.MAX_WAITING_FOR_TELEMETRY + 3;
    for (int i = 0; i < n; i++) complete(factory.begin(request()));
    worker.drain(10_000);
    assertEquals(3, calls.size(), "past the bound, calls go untraced at once, as before");

    telemetry.fail();
    assertTrue(exporter.getFinishedSpanItems().isEmpty());
    assertEquals(n, calls.size(), "the waiting calls are reported when the SDK fails");
  }

  @Test
  void theBoundedWaitersAreRecordedWhenTheSdkComesUp() {
    Pending<InferenceTelemetry> telemetry = new Pending<>();
    ExchangeWorker worker = ExchangeWorker.manual();
    TracedExchanges factory = starting(telemetry, worker, 0);
    int n = TracedCall.MAX_WAITING_FOR_TELEMETRY + 2;
    for (int i = 0; i < n; i++) complete(factory.begin(request()));
    worker.drain(10_000);
    telemetry.complete(telemetry());
    assertEquals(TracedCall.MAX_WAITING_FOR_TELEMETRY, exporter.getFinishedSpanItems().size());
    assertEquals(n, calls.size());
  }
}
