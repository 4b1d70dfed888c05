package dev.llmotel.dialect.gemini;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import dev.llmotel.wire.SseDecoder;

/**
 * The events of {@code streamGenerateContent?alt=sse}: each {@code data:} event is a whole GenerateContentResponse
 * holding what is new (text pieces of the candidates, their finish reasons when they finish, usage in the last
 * chunks). Gemini has no end marker: the body just ends. So a stream read to its end in which a candidate finished
 * (or the prompt was blocked) is complete; without a finish it was cut short (truncated). An event
 * {@code {"error": {...}}} reports a failure mid-stream.
 *
 * <p>Events carrying candidates count as streamed chunks. Past {@code maxParsedBytes} of event data, only events that
 * may carry usage, a finish reason, a blocked prompt or an error are still parsed; the others are merely counted.
 */
final class GeminiStream implements SseDecoder.Listener {
  static final String STREAM_ERROR = "stream_error";
  private static final byte[][] WORTH_PARSING_PAST_LIMIT = {
      ascii("\"finishReason\""), ascii("\"usageMetadata\""), ascii("\"error\""), ascii("\"blockReason\"")};

  private final CallFacts facts;
  private final GeminiResponse response;
  private final JsonLimits steadyLimits;
  private JsonLimits limits;
  private final long maxParsedBytes;
  private final GeminiContent.OutputAssembler content;
  private long parsedBytes;
  private boolean sawError;

  /** @param content assembles the candidates when content capture is on, else null */
  GeminiStream(CallFacts facts, GeminiResponse response, JsonLimits firstLimits, JsonLimits steadyLimits,
      long maxParsedBytes, GeminiContent.OutputAssembler content) {
    this.facts = facts;
    this.response = response;
    this.limits = firstLimits;
    this.steadyLimits = steadyLimits;
    this.maxParsedBytes = maxParsedBytes;
    this.content = content;
  }

  /** An error event arrived: the stream failed, whatever it said before. */
  boolean sawError() {
    return sawError;
  }

  /** The candidates assembled from the chunks, or null when content capture is off. */
  String outputMessages() {
    return content == null ? null : content.outputMessages();
  }

  @Override
  public void onEvent(String event, byte[] data, int offset, int length) {
    parsedBytes += length;
    if (parsedBytes > maxParsedBytes && !worthParsing(data, offset, length)) {
      facts.stream.chunkArrived();
      return;
    }
    JsonValue chunk = JsonTreeReader.parse(data, offset, length, limits);
    if (chunk != null) apply(chunk);
  }

  /** An event too large to read still arrived as a chunk. */
  @Override
  public void onOversizedEvent(String event, long dataBytes) {
    facts.stream.chunkArrived();
  }

  /**
   * The body ended without the blank line after its last event: the SSE rules drop such an event, but a chunk whose
   * JSON is complete was sent whole, so it counts.
   */
  @Override
  public void onUnterminatedEvent(String event, byte[] data, int offset, int length) {
    JsonValue chunk = JsonTreeReader.parse(data, offset, length, limits);
    if (chunk != null && !chunk.isTruncated()) apply(chunk);
  }

  private void apply(JsonValue chunk) {
    if (GeminiResponse.applyError(chunk, facts, STREAM_ERROR)) {
      sawError = true;
      return;
    }
    if (!chunk.isObject()) return;
    if (chunk.path("candidates").size() > 0) facts.stream.chunkArrived();
    if (limits != steadyLimits) {
      response.applyIdentity(chunk);
      if (facts.response.id != null && facts.response.model != null) limits = steadyLimits;
    }
    response.apply(chunk);
    if (content != null) content.onResponse(chunk);
  }

  private static boolean worthParsing(byte[] data, int offset, int length) {
    for (byte[] needle : WORTH_PARSING_PAST_LIMIT) {
      if (contains(data, offset, length, needle)) return true;
    }
    return false;
  }

  static boolean contains(byte[] data, int offset, int length, byte[] needle) {
    int last = offset + length - needle.length;
    byte first = needle[0];
    for (int i = offset; i <= last; i++) {
      if (data[i] != first) continue;
      int k = 1;
      while (k < needle.length && data[i + k] == needle[k]) k++;
      if (k == needle.length) return true;
    }
    return false;
  }

  private static byte[] ascii(String s) {
    byte[] b = new byte[s.length()];
    for (int i = 0; i < b.length; i++) b[i] = (byte) s.charAt(i);
    return b;
  }
}
