package dev.llmotel.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.llmotel.wire.AwsEventStreamDecoder;
import dev.llmotel.wire.IncrementalJsonReaders;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import dev.llmotel.wire.LineDecoder;
import dev.llmotel.wire.SseDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Jazzer fuzz targets for the wire readers. Each reads fuzzed bytes fed whole and fed in fuzzed pieces (each piece
 * in a buffer of its own, overwritten once fed, as clients reuse theirs): nothing may be thrown, the output must not
 * depend on where the pieces were cut, and no event or line handed on may exceed the reader's limit. In the normal
 * build only the seed corpus ({@code src/test/resources/dev/llmotel/reliability/WireFuzzTestInputs/<target>/}) is
 * replayed; {@code JAZZER_FUZZ=1} fuzzes (see RELIABILITY.md).
 */
class WireFuzzTest {
  static final int MAX_EVENT = 1024;

  /** Feeds {@code body} in pieces cut at {@code cuts} (sorted positions), each piece copied then overwritten. */
  static void feedInPieces(byte[] body, int[] cuts, BiConsumer<byte[], Integer> feed) {
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? Math.max(from, Math.min(body.length, cuts[i])) : body.length;
      byte[] piece = new byte[to - from + 2];
      System.arraycopy(body, from, piece, 1, to - from);
      feed.accept(piece, to - from);
      Arrays.fill(piece, (byte) 'Z');
      from = to;
    }
  }

  /** Up to 16 cut positions within {@code length}, sorted. */
  static int[] cuts(FuzzedDataProvider data, int length) {
    int n = data.consumeInt(0, 16);
    int[] cuts = new int[n];
    for (int i = 0; i < n; i++) cuts[i] = data.consumeInt(0, Math.max(0, length));
    Arrays.sort(cuts);
    return cuts;
  }

  static List<String> sse(byte[] body, int[] cuts) {
    List<String> events = new ArrayList<>();
    SseDecoder decoder = new SseDecoder(MAX_EVENT, new SseDecoder.Listener() {
      @Override
      public void onEvent(String event, byte[] d, int offset, int length) {
        assertTrue(length <= MAX_EVENT, "event of " + length + " bytes past the limit");
        events.add("event " + event + " " + new String(d, offset, length, StandardCharsets.ISO_8859_1));
      }

      @Override
      public void onOversizedEvent(String event, long dataBytes) {
        events.add("oversized " + event + " " + dataBytes);
      }

      @Override
      public void onUnterminatedEvent(String event, byte[] d, int offset, int length) {
        assertTrue(length <= MAX_EVENT, "unterminated event of " + length + " bytes past the limit");
        events.add("unterminated " + event + " " + new String(d, offset, length, StandardCharsets.ISO_8859_1));
      }
    });
    feedInPieces(body, cuts, (piece, n) -> decoder.feed(piece, 1, n));
    decoder.end();
    return events;
  }

  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void sseDecoder(FuzzedDataProvider data) {
    int[] cuts = cuts(data, 4096);
    byte[] body = data.consumeRemainingAsBytes();
    assertEquals(sse(body, new int[0]), sse(body, cuts), "events depend on where the body was cut");
  }

  static List<String> lines(byte[] body, int[] cuts) {
    List<String> lines = new ArrayList<>();
    LineDecoder decoder = new LineDecoder(MAX_EVENT, new LineDecoder.Listener() {
      @Override
      public void onLine(byte[] b, int offset, int length) {
        assertTrue(length <= MAX_EVENT, "line of " + length + " bytes past the limit");
        String line = new String(b, offset, length, StandardCharsets.ISO_8859_1);
        assertTrue(line.indexOf('\n') < 0, "a line with a newline");
        lines.add(line);
      }

      @Override
      public void onOversizedLine(long length) {
        lines.add("oversized " + length);
      }
    });
    feedInPieces(body, cuts, (piece, n) -> decoder.feed(piece, 1, n));
    decoder.end();
    return lines;
  }

  /** NDJSON (Ollama, Gemini's streams...): lines the same however the body is cut. */
  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void ndjsonLines(FuzzedDataProvider data) {
    int[] cuts = cuts(data, 4096);
    byte[] body = data.consumeRemainingAsBytes();
    assertEquals(lines(body, new int[0]), lines(body, cuts), "lines depend on where the body was cut");
  }

  static List<String> aws(byte[] body, int[] cuts) {
    List<String> messages = new ArrayList<>();
    AwsEventStreamDecoder decoder = new AwsEventStreamDecoder(MAX_EVENT, new AwsEventStreamDecoder.Listener() {
      @Override
      public void onMessage(String messageType, String eventType, String exceptionType, byte[] payload, int offset,
          int length) {
        assertTrue(length <= MAX_EVENT, "payload of " + length + " bytes past the limit");
        messages.add(messageType + "/" + eventType + "/" + exceptionType + " "
            + new String(payload, offset, length, StandardCharsets.ISO_8859_1));
      }

      @Override
      public void onOversizedMessage(String messageType, String eventType, String exceptionType, long payloadBytes) {
        messages.add("oversized " + messageType + "/" + eventType + "/" + exceptionType + " " + payloadBytes);
      }

      @Override
      public void onCorruptMessage(String reason) {
        messages.add("corrupt message " + reason);
      }

      @Override
      public void onCorruptStream(String reason) {
        messages.add("corrupt stream " + reason);
      }
    });
    feedInPieces(body, cuts, (piece, n) -> decoder.feed(piece, 1, n));
    decoder.end();
    return messages;
  }

  /** Bedrock's binary event stream (length-prefixed, CRC-checked frames). */
  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void awsEventStream(FuzzedDataProvider data) {
    int[] cuts = cuts(data, 4096);
    byte[] body = data.consumeRemainingAsBytes();
    assertEquals(aws(body, new int[0]), aws(body, cuts), "messages depend on where the body was cut");
  }

  static final JsonLimits SMALL = JsonLimits.defaults().withMaxStringChars(64).withMaxArrayElements(16)
      .withMaxObjectFields(16).withMaxDepth(32).withMaxNodes(512).withMaxDocumentBytes(1 << 16);

  static String json(byte[] body, int[] cuts) {
    JsonTreeReader reader = new JsonTreeReader(SMALL);
    feedInPieces(body, cuts, (piece, n) -> reader.feed(piece, 1, n));
    JsonValue v = reader.end();
    return v == null ? "null" : v.toString();
  }

  /**
   * The bounded JSON reader, whole-document and streamed: never throws, and the streamed tree does not depend on the
   * cuts.
   */
  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void jsonLimitsReader(FuzzedDataProvider data) {
    int[] cuts = cuts(data, 4096);
    byte[] body = data.consumeRemainingAsBytes();
    JsonTreeReader.parse(body, 0, body.length, SMALL);
    JsonTreeReader.parse(body, 0, body.length, JsonLimits.defaults());
    assertEquals(json(body, new int[0]), json(body, cuts), "the tree depends on where the body was cut");
  }

  static String jsonAsItArrives(byte[] body, int[] cuts, JsonLimits limits) {
    JsonTreeReader reader = IncrementalJsonReaders.fromTheFirstByte(limits.withMaxDocumentBytes(Long.MAX_VALUE));
    feedInPieces(body, cuts, (piece, n) -> reader.feed(piece, 1, n));
    JsonValue v = reader.end();
    return v == null ? "null" : v.toString();
  }

  /**
   * The JSON reader's incremental path (Jackson's non-blocking parser behind the clipper that cuts long strings,
   * replaces invalid UTF-8 and empties too-deep containers; a reader that holds nothing back for a one-pass parse):
   * never throws, and the tree does not depend on where the body was cut (a UTF-8 sequence or an escape cut in two
   * included).
   */
  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void jsonIncrementalReader(FuzzedDataProvider data) {
    int[] cuts = cuts(data, 4096);
    JsonLimits limits = data.consumeBoolean() ? SMALL : JsonLimits.defaults().withMaxStringChars(8).withMaxDepth(3);
    byte[] body = data.consumeRemainingAsBytes();
    assertEquals(jsonAsItArrives(body, new int[0], limits), jsonAsItArrives(body, cuts, limits),
        "the tree depends on where the body was cut");
  }
}
