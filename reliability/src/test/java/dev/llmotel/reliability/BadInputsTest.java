package dev.llmotel.reliability;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Bodies no provider should send, through the agent's real path (tee, exchange, every dialect, span): compressed
 * (gzip, brotli: the agent decodes neither, so the span has what the request said and no response facts), read one
 * byte at a time, a generated stream of {@code reliability.stream.mb} MB (1024 by default) with a flat heap, binary,
 * invalid UTF-8, JSON nested 10,000 deep, one SSE line of 10 MB, NDJSON without newlines. For each: the application
 * gets exactly the bytes sent, nothing is thrown at it, nothing hangs, and exactly one span says what could be read.
 */
class BadInputsTest {
  static final String OPENAI = "api.openai.com";
  static final String CHAT = "/v1/chat/completions";
  static final byte[] CHAT_REQUEST = utf8("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":"
      + "\"Say hello.\"}]}");
  static final byte[] STREAM_REQUEST = utf8("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":"
      + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}");
  static final String COMPLETION = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":\"Hello!\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,"
      + "\"total_tokens\":18}}";
  static final String USAGE_CHUNK = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,"
      + "\"total_tokens\":18}}\n\n";
  static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
  static final Map<String, String> SSE = Map.of("Content-Type", "text/event-stream");
  static final Duration NO_HANG = Duration.ofSeconds(120);

  static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  static String deltaChunk(String content, String finishReason) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content
        + "\"},\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}\n\n";
  }

  /** Runs one call with a fresh pipeline, failing on a hang; checks the bytes and that exactly one span came. */
  static Pipeline.Call run(String host, String path, byte[] request, Map<String, String> headers, byte[] body,
      int readSize) {
    Pipeline.Call call = assertTimeoutPreemptively(NO_HANG,
        () -> new Pipeline().call(host, path, request, headers, new ByteArrayInputStream(body), readSize));
    long expectedCrc = assertTimeoutPreemptively(NO_HANG, () -> Pipeline.crcOf(new ByteArrayInputStream(body)));
    assertAll("the application's bytes and the span",
        () -> assertEquals(body.length, call.bytes(), "bytes the application read"),
        () -> assertEquals(expectedCrc, call.crc(), "CRC-32 of what the application read"),
        () -> assertEquals(1, call.spanCount(), "spans"),
        () -> assertNotNull(call.span(), "a span"));
    return call;
  }

  /** The span of a call whose response could not be read: the request's facts, status 200, no response facts. */
  static void requestFactsOnly(Pipeline.Call call) {
    assertAll(call.attributes().toString(),
        () -> assertEquals("chat gpt-4o-mini", call.span().getName()),
        () -> assertEquals("gpt-4o-mini", call.attr("gen_ai.request.model")),
        () -> assertNull(call.attr("gen_ai.usage.output_tokens"), "no usage from an unreadable body"),
        () -> assertNull(call.attr("gen_ai.response.model"), "no response model from an unreadable body"));
  }

  @Test
  void gzipEncodedBody() throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(utf8(COMPLETION));
    }
    requestFactsOnly(run(OPENAI, CHAT, CHAT_REQUEST, Map.of("Content-Type", "application/json",
        "Content-Encoding", "gzip"), gz.toByteArray(), 8192));
  }

  @Test
  void brotliEncodedBody() {
    byte[] brotliLike = new byte[4096]; // no decoder needed: whatever the bytes, the span must not claim to read them
    new Random(7).nextBytes(brotliLike);
    brotliLike[0] = 0x1b;
    requestFactsOnly(run(OPENAI, CHAT, CHAT_REQUEST, Map.of("Content-Type", "application/json",
        "Content-Encoding", "br"), brotliLike, 8192));
  }

  @Test
  void streamReadOneByteAtATime() {
    StringBuilder sse = new StringBuilder();
    for (int i = 0; i < 20; i++) sse.append(deltaChunk("tok" + i, null));
    sse.append(deltaChunk("", "stop")).append(USAGE_CHUNK).append("data: [DONE]\n\n");
    Pipeline.Call call = run(OPENAI, CHAT, STREAM_REQUEST, SSE, utf8(sse.toString()), 1);
    assertAll(call.attributes().toString(),
        () -> assertEquals(7L, call.attr("gen_ai.usage.output_tokens")),
        () -> assertEquals(11L, call.attr("gen_ai.usage.input_tokens")),
        () -> assertEquals("completed", call.attr("llmotel.stream.outcome")));
  }

  /**
   * A stream of {@code reliability.stream.mb} MB, generated as it is read (never stored): 4 KiB content deltas, then
   * the usage. The heap after a GC barely moves between the first 64 MB and the end, and the usage at the end counts.
   */
  @Test
  void hugeStreamWithAFlatHeap() {
    long megabytes = Long.getLong("reliability.stream.mb", 1024);
    long target = megabytes << 20;
    byte[] chunk = utf8(deltaChunk("x".repeat(4096), null));
    byte[] tail = utf8(deltaChunk("", "stop") + USAGE_CHUNK + "data: [DONE]\n\n");
    long chunks = target / chunk.length;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long[] heap = new long[2];
    InputStream generated = new InputStream() {
      long index;
      int pos;

      @Override
      public int read() {
        byte[] b = new byte[1];
        return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (index > chunks) return -1;
        byte[] current = index < chunks ? chunk : tail;
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        if (pos == current.length) {
          pos = 0;
          index++;
          if (index == (64L << 20) / chunk.length) heap[0] = usedAfterGc(memory);
          if (index == chunks) heap[1] = usedAfterGc(memory);
        }
        return n;
      }
    };
    long start = System.nanoTime();
    Pipeline.Call call = assertTimeoutPreemptively(Duration.ofMinutes(5),
        () -> new Pipeline().call(OPENAI, CHAT, STREAM_REQUEST, SSE, generated, 16 * 1024));
    long millis = (System.nanoTime() - start) / 1_000_000;
    long expectedBytes = chunks * chunk.length + tail.length;
    System.out.printf("hugeStream: %d MB in %d ms, heap after GC at 64 MB %d KB, at the end %d KB%n",
        expectedBytes >> 20, millis, heap[0] >> 10, heap[1] >> 10);
    assertAll(call.attributes().toString(),
        () -> assertEquals(expectedBytes, call.bytes(), "bytes the application read"),
        () -> assertEquals(1, call.spanCount()),
        () -> assertEquals(7L, call.attr("gen_ai.usage.output_tokens"), "the usage after " + megabytes + " MB"),
        () -> assertEquals("completed", call.attr("llmotel.stream.outcome")),
        () -> assertTrue(heap[0] > 0 && heap[1] > 0, "heap measured"),
        () -> assertTrue(heap[1] - heap[0] < 16L << 20, "heap grew by " + ((heap[1] - heap[0]) >> 10)
            + " KB between 64 MB and " + megabytes + " MB read"));
  }

  static long usedAfterGc(MemoryMXBean memory) {
    memory.gc();
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  @Test
  void binaryBodyDeclaredJson() {
    byte[] binary = new byte[64 * 1024];
    new Random(11).nextBytes(binary);
    requestFactsOnly(run(OPENAI, CHAT, CHAT_REQUEST, JSON, binary, 1000));
  }

  @Test
  void binaryBodyDeclaredEventStream() {
    byte[] binary = new byte[64 * 1024];
    new Random(13).nextBytes(binary);
    Pipeline.Call call = run(OPENAI, CHAT, STREAM_REQUEST, SSE, binary, 777);
    assertNull(call.attr("gen_ai.usage.output_tokens"), call.attributes().toString());
  }

  /**
   * Invalid UTF-8 inside a string (lone continuation, overlong, surrogate, 0xFF, a sequence cut short): the JSON
   * reader reads each invalid sequence as U+FFFD in its own copy, so what comes before and after it is read (id,
   * model, finish reasons, the usage).
   */
  @Test
  void invalidUtf8InTheContent() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String[] halves = COMPLETION.split("Hello!");
    body.write(utf8(halves[0]));
    body.write(new byte[] {'H', (byte) 0x80, (byte) 0xC0, (byte) 0xAF, (byte) 0xED, (byte) 0xA0, (byte) 0x80,
        (byte) 0xFF, (byte) 0xC3, '('});
    body.write(utf8(halves[1]));
    Pipeline.Call call = run(OPENAI, CHAT, CHAT_REQUEST, JSON, body.toByteArray(), 3);
    assertAll(call.attributes().toString(),
        () -> assertEquals("chatcmpl-1", call.attr("gen_ai.response.id")),
        () -> assertEquals("gpt-4o-mini-2024-07-18", call.attr("gen_ai.response.model")),
        () -> assertEquals(java.util.List.of("stop"), call.attr("gen_ai.response.finish_reasons")),
        () -> assertEquals(11L, call.attr("gen_ai.usage.input_tokens"), "the usage after the invalid bytes"),
        () -> assertEquals(7L, call.attr("gen_ai.usage.output_tokens"), "the usage after the invalid bytes"));
  }

  /**
   * 10,000 nested arrays in an unknown field before the usage: no stack overflow; the levels past 256 are skipped
   * before the parser (a counter, no recursion), so Jackson's nesting limit is never reached and the usage after them
   * is read.
   */
  @Test
  void jsonNestedTenThousandDeep() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    String body = COMPLETION.replace("\"usage\"", "\"deep\":" + deep + ",\"usage\"");
    Pipeline.Call call = run(OPENAI, CHAT, CHAT_REQUEST, JSON, utf8(body), 4096);
    assertAll(call.attributes().toString(),
        () -> assertEquals("gpt-4o-mini-2024-07-18", call.attr("gen_ai.response.model")),
        () -> assertEquals(java.util.List.of("stop"), call.attr("gen_ai.response.finish_reasons")),
        () -> assertEquals(11L, call.attr("gen_ai.usage.input_tokens"), "the usage after the nesting"),
        () -> assertEquals(7L, call.attr("gen_ai.usage.output_tokens"), "the usage after the nesting"));
  }

  /**
   * Nested 10,000 deep where the dialect reads (the message content): the span comes, nothing thrown, and the finish
   * reason and usage after the nesting are read.
   */
  @Test
  void jsonNestedTenThousandDeepInAReadField() {
    String deep = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    String body = COMPLETION.replace("\"Hello!\"", deep);
    Pipeline.Call call = run(OPENAI, CHAT, CHAT_REQUEST, JSON, utf8(body), 4096);
    assertAll(call.attributes().toString(),
        () -> assertEquals("chat gpt-4o-mini", call.span().getName()),
        () -> assertEquals(java.util.List.of("stop"), call.attr("gen_ai.response.finish_reasons")),
        () -> assertEquals(11L, call.attr("gen_ai.usage.input_tokens")),
        () -> assertEquals(7L, call.attr("gen_ai.usage.output_tokens")));
  }

  /** One SSE event of 10 MB (past the 1 MiB event limit): skipped, the stream goes on, the usage counts. */
  @Test
  void sseLineOfTenMegabytes() {
    String sse = deltaChunk("a", null) + deltaChunk("y".repeat(10 << 20), null) + deltaChunk("b", "stop")
        + USAGE_CHUNK + "data: [DONE]\n\n";
    Pipeline.Call call = run(OPENAI, CHAT, STREAM_REQUEST, SSE, utf8(sse), 64 * 1024);
    assertAll(call.attributes().toString(),
        () -> assertEquals(7L, call.attr("gen_ai.usage.output_tokens")),
        () -> assertEquals("completed", call.attr("llmotel.stream.outcome")));
  }

  /** Ollama's NDJSON stream with no newline between the objects: one long line; the span has the request's facts. */
  @Test
  void ndjsonWithoutNewlines() {
    byte[] request = utf8("{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      body.append("{\"model\":\"llama3.2\",\"created_at\":\"2025-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\","
          + "\"content\":\"t").append(i).append("\"},\"done\":false}");
    }
    body.append("{\"model\":\"llama3.2\",\"created_at\":\"2025-01-01T00:00:01Z\",\"message\":{\"role\":\"assistant\","
        + "\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":11,\"eval_count\":7}");
    Pipeline.Call call = run("localhost:11434", "/api/chat", request, Map.of("Content-Type", "application/x-ndjson"),
        utf8(body.toString()), 100);
    assertAll(call.attributes().toString(),
        () -> assertEquals("chat llama3.2", call.span().getName()),
        () -> assertEquals("llama3.2", call.attr("gen_ai.request.model")));
  }

  /** A body that ends in the middle of an event: the application gets what was sent; the span says it was cut. */
  @Test
  void streamCutMidEvent() {
    String sse = deltaChunk("a", null) + deltaChunk("b", null);
    byte[] cut = utf8(sse.substring(0, sse.length() - 20));
    Pipeline.Call call = run(OPENAI, CHAT, STREAM_REQUEST, SSE, cut, 5);
    assertEquals("truncated", call.attr("llmotel.stream.outcome"), call.attributes().toString());
  }

  static InputStream concat(InputStream a, InputStream b) { return new SequenceInputStream(a, b); }
}
