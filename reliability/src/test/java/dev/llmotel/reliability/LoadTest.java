package dev.llmotel.reliability;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.dialect.Dialect;
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
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * 32 threads × {@code reliability.load.calls} calls each (50 in the normal build; the 10,000 with
 * {@code -Dreliability.load.calls=10000}) through one shared pipeline (every dialect, background worker), a third each
 * plain, streamed to the end, and streamed then abandoned halfway: exactly one span per call, exact token sums, the
 * heap after GC no larger at the end than after the first round, no thread or file-descriptor growth.
 */
class LoadTest {
  static final int THREADS = 32;
  static final byte[] REQUEST = BadInputsTest.CHAT_REQUEST;
  static final byte[] STREAM_REQUEST = BadInputsTest.STREAM_REQUEST;
  static final byte[] PLAIN = BadInputsTest.utf8(BadInputsTest.COMPLETION);
  static final byte[] STREAM;

  static {
    StringBuilder sse = new StringBuilder();
    for (int i = 0; i < 20; i++) sse.append(BadInputsTest.deltaChunk("tok" + i, null));
    sse.append(BadInputsTest.deltaChunk("", "stop")).append(BadInputsTest.USAGE_CHUNK).append("data: [DONE]\n\n");
    STREAM = BadInputsTest.utf8(sse.toString());
  }

  /**
   * Distinct span ids in one array allocated up front (open addressing; 0, an invalid span id, marks a free slot), so
   * that checking them adds nothing to the heap between the two measurements. A set of 320,000 id strings grew it by
   * about 30 MB and made the full run's heap check measure the test.
   */
  static final class SpanIds {
    private final long[] slots;
    private int size;

    SpanIds(long expected) {
      int capacity = Integer.highestOneBit((int) Math.min(1 << 30, Math.max(16, expected * 2))) << 1;
      slots = new long[capacity];
    }

    synchronized void add(String hexId) {
      long id = Long.parseUnsignedLong(hexId, 16);
      int mask = slots.length - 1;
      for (int i = (int) (id ^ (id >>> 32)) * 0x9E3779B9 & mask; ; i = (i + 1) & mask) {
        if (slots[i] == id) return;
        if (slots[i] == 0) {
          if (size >= slots.length - 1) throw new IllegalStateException("more span ids than expected");
          slots[i] = id;
          size++;
          return;
        }
      }
    }

    synchronized int size() {
      return size;
    }
  }

  /** Counts what it is given and keeps nothing that grows (so the heap measures the agent, not the test). */
  static final class Tally implements SpanExporter {
    final AtomicLong spans = new AtomicLong();
    final AtomicLong input = new AtomicLong();
    final AtomicLong output = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    final AtomicLong abandoned = new AtomicLong();
    final SpanIds ids;

    Tally(long expectedSpans) {
      ids = new SpanIds(expectedSpans);
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      for (SpanData s : batch) {
        spans.incrementAndGet();
        ids.add(s.getSpanId());
        Long in = s.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"));
        Long out = s.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"));
        if (in != null) input.addAndGet(in);
        if (out != null) output.addAndGet(out);
        String outcome = s.getAttributes().get(AttributeKey.stringKey("llmotel.stream.outcome"));
        if ("completed".equals(outcome)) completed.incrementAndGet();
        if ("abandoned".equals(outcome)) abandoned.incrementAndGet();
      }
      return CompletableResultCode.ofSuccess();
    }

    @Override public CompletableResultCode flush() { return CompletableResultCode.ofSuccess(); }
    @Override public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }
  }

  @Test
  void thirtyTwoThreadsMixedCalls() throws Exception {
    int perThread = Integer.getInteger("reliability.load.calls", 50);
    int warmUp = Math.max(1, perThread / 10);
    Tally tally = new Tally((long) THREADS * (warmUp + perThread));
    List<Dialect> dialects = new ArrayList<>();
    for (Dialect d : ServiceLoader.load(Dialect.class)) dialects.add(d);
    SdkTracerProvider provider = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
        .addSpanProcessor(SimpleSpanProcessor.create(tally)).build();
    TracedExchanges exchanges = TracedExchanges.builder(dialects, Pending.of(new InferenceTelemetry(
            InferenceSpans.builder(provider.get("load")).build(), null, null)))
        .context(Pipeline.AGENT_LIMITS)
        .queues(new ExchangeQueues(ExchangeWorker.background(5), 0, 256 * 1024))
        .build();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    runRound(pool, exchanges, warmUp);
    long total = (long) THREADS * warmUp;
    awaitSpans(tally, total);
    long heapBefore = BadInputsTest.usedAfterGc(ManagementFactory.getMemoryMXBean());
    int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
    long fdsBefore = openFiles();
    long start = System.nanoTime();
    runRound(pool, exchanges, perThread);
    total += (long) THREADS * perThread;
    awaitSpans(tally, total);
    long millis = (System.nanoTime() - start) / 1_000_000;
    long heapAfter = BadInputsTest.usedAfterGc(ManagementFactory.getMemoryMXBean());
    int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
    long fdsAfter = openFiles();
    pool.shutdownNow();
    long calls = total;
    long plain = countOf(0, warmUp) + countOf(0, perThread);
    long streamed = countOf(1, warmUp) + countOf(1, perThread);
    long abandoned = countOf(2, warmUp) + countOf(2, perThread);
    System.out.printf("load: %d calls on %d threads in %d ms; heap after GC %d KB -> %d KB; threads %d -> %d; "
        + "fds %d -> %d%n", THREADS * perThread, THREADS, millis, heapBefore >> 10, heapAfter >> 10, threadsBefore,
        threadsAfter, fdsBefore, fdsAfter);
    assertAll(
        () -> assertEquals(calls, tally.spans.get(), "spans"),
        () -> assertEquals(calls, tally.ids.size(), "distinct span ids"),
        () -> assertEquals(7 * (plain + streamed), tally.output.get(), "output tokens"),
        () -> assertEquals(11 * (plain + streamed), tally.input.get(), "input tokens"),
        () -> assertEquals(streamed, tally.completed.get(), "completed streams"),
        () -> assertEquals(abandoned, tally.abandoned.get(), "abandoned streams"),
        () -> assertTrue(heapAfter - heapBefore < 16L << 20, "heap grew " + ((heapAfter - heapBefore) >> 10) + " KB"),
        () -> assertTrue(threadsAfter <= threadsBefore + 2, "threads " + threadsBefore + " -> " + threadsAfter),
        () -> assertTrue(fdsAfter < 0 || fdsAfter <= fdsBefore + 4, "fds " + fdsBefore + " -> " + fdsAfter));
  }

  /** Calls of kind {@code kind} (0 plain, 1 streamed, 2 abandoned) in a round of {@code perThread} per thread. */
  static long countOf(int kind, int perThread) {
    long n = 0;
    for (int i = 0; i < perThread; i++) if (i % 3 == kind) n++;
    return n * THREADS;
  }

  static void runRound(ExecutorService pool, TracedExchanges exchanges, int perThread) throws Exception {
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      futures.add(pool.submit(() -> {
        for (int i = 0; i < perThread; i++) call(exchanges, i % 3);
        return null;
      }));
    }
    assertTimeoutPreemptively(Duration.ofMinutes(30), () -> {
      for (Future<?> f : futures) f.get();
    });
  }

  static void call(TracedExchanges exchanges, int kind) throws IOException {
    HeaderLookup json = name -> name.equalsIgnoreCase("content-type") ? "application/json" : null;
    HeaderLookup sse = name -> name.equalsIgnoreCase("content-type") ? "text/event-stream" : null;
    Exchange ex = exchanges.begin(new ExchangeRequest("POST", "https", "api.openai.com", -1, "/v1/chat/completions",
        null, json));
    byte[] request = kind == 0 ? REQUEST : STREAM_REQUEST;
    ex.requestBody(request, 0, request.length);
    ex.requestBodyEnd();
    ex.response(200, kind == 0 ? json : sse);
    byte[] body = kind == 0 ? PLAIN : STREAM;
    byte[] buffer = new byte[512];
    try (InputStream app = new TeeInputStream(new ByteArrayInputStream(body), new ResponseTap(ex, -1), false)) {
      int read = 0;
      for (int n; (n = app.read(buffer)) >= 0; ) {
        read += n;
        if (kind == 2 && read >= body.length / 2) break;
      }
    }
  }

  static void awaitSpans(Tally tally, long count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (tally.spans.get() < count && System.nanoTime() < deadline) Thread.sleep(10);
  }

  /** Open file descriptors of this process (Linux), or -1. */
  static long openFiles() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  static String utf8(byte[] b) { return new String(b, StandardCharsets.UTF_8); }
}
