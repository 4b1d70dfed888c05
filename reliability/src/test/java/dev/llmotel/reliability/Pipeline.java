package dev.llmotel.reliability;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeQueues;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.ExchangeWorker;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.exchange.ResponseTap;
import dev.llmotel.exchange.TeeInputStream;
import dev.llmotel.telemetry.InferenceSpans;
import dev.llmotel.telemetry.InferenceTelemetry;
import dev.llmotel.telemetry.Pending;
import dev.llmotel.telemetry.PresetIds;
import dev.llmotel.telemetry.TracedExchanges;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The agent's path for one HTTP call, in-process, as a hook drives it: every dialect the agent ships (service loader),
 * {@link TracedExchanges} with the agent's default limits and a background worker, the request body reported, then
 * the response body handed to the "application" through the shared {@link TeeInputStream}. Spans go to memory.
 */
final class Pipeline {
  /** The agent's defaults (AgentConfig): 1 MiB per event, 64 MiB parsed, 64 Ki retained chars, 256 KiB queued. */
  static final DialectContext AGENT_LIMITS = DialectContext.builder().maxEventBytes(1 << 20)
      .maxParsedBytes(64L << 20).maxRetainedChars(64 * 1024).build();

  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final TracedExchanges exchanges;

  Pipeline() {
    List<Dialect> dialects = new ArrayList<>();
    for (Dialect d : ServiceLoader.load(Dialect.class)) dialects.add(d);
    SdkTracerProvider provider = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    exchanges = TracedExchanges.builder(dialects, Pending.of(new InferenceTelemetry(
            InferenceSpans.builder(provider.get("reliability")).build(), null, null)))
        .context(AGENT_LIMITS)
        .queues(new ExchangeQueues(ExchangeWorker.background(5), 0, 256 * 1024))
        .build();
  }

  /** What the application got, and the one span the call made (null if none came within the wait). */
  record Call(long bytes, long crc, SpanData span, int spanCount) {
    Object attr(String key) {
      if (span == null) return null;
      for (Map.Entry<AttributeKey<?>, Object> e : span.getAttributes().asMap().entrySet()) {
        if (e.getKey().getKey().equals(key)) return e.getValue();
      }
      return null;
    }

    Map<String, Object> attributes() {
      Map<String, Object> out = new TreeMap<>();
      if (span != null) span.getAttributes().forEach((k, v) -> out.put(k.getKey(), v));
      return out;
    }
  }

  /**
   * One call: the request (host, path, JSON body), then a 200 with these headers whose body the application reads
   * through the tee in reads of {@code readSize} bytes (1: {@code read()} byte by byte) to its end.
   */
  Call call(String host, String path, byte[] requestBody, Map<String, String> responseHeaders, InputStream body,
      int readSize) throws IOException {
    HeaderLookup requestHeaders = name -> name.equalsIgnoreCase("content-type") ? "application/json" : null;
    Exchange exchange = exchanges.begin(new ExchangeRequest("POST", "https", host, -1, path, null, requestHeaders));
    if (exchange == null) throw new AssertionError("no dialect took POST " + host + path);
    exchange.requestBody(requestBody, 0, requestBody.length);
    exchange.requestBodyEnd();
    exchange.response(200, name -> {
      for (Map.Entry<String, String> h : responseHeaders.entrySet()) {
        if (h.getKey().equalsIgnoreCase(name)) return h.getValue();
      }
      return null;
    });
    CRC32 crc = new CRC32();
    long total = 0;
    try (InputStream app = new TeeInputStream(body, new ResponseTap(exchange, -1), false)) {
      if (readSize == 1) {
        for (int b; (b = app.read()) >= 0; total++) crc.update(b);
      } else {
        byte[] buffer = new byte[readSize];
        for (int n; (n = app.read(buffer, 0, buffer.length)) >= 0; total += n) crc.update(buffer, 0, n);
      }
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (spans.getFinishedSpanItems().isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    List<SpanData> ended = spans.getFinishedSpanItems();
    return new Call(total, crc.getValue(), ended.isEmpty() ? null : ended.get(0), ended.size());
  }

  static long crcOf(InputStream in) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[64 * 1024];
    for (int n; (n = in.read(buffer)) >= 0; ) crc.update(buffer, 0, n);
    return crc.getValue();
  }
}
