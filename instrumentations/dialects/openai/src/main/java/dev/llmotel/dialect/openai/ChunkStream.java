package dev.llmotel.dialect.openai;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.wire.Bytes;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import dev.llmotel.wire.SseDecoder;

/**
 * The events of a streamed chat or text completion: each {@code data:} event is a {@code chat.completion.chunk}
 * (or {@code text_completion} chunk), the stream ends with {@code data: [DONE]}. Chunks carrying choices count as
 * streamed chunks; id, model, finish reasons, usage (the {@code include_usage} chunk with {@code choices: []}) and
 * in-stream errors go into the facts.
 *
 * <p>Identity fields (id, model, system fingerprint, service tier) are read until a chunk has given id and model;
 * later chunks repeat them and are parsed without them.
 *
 * <p>Past {@code maxParsedBytes} of event data, only events that may carry usage, a finish reason or an error are
 * still parsed; the others are merely counted.
 */
final class ChunkStream implements SseDecoder.Listener {
  private static final byte[] DONE = {'[', 'D', 'O', 'N', 'E', ']'};
  private static final byte[][] WORTH_PARSING_PAST_LIMIT = {
      Bytes.ascii("\"usage\""), Bytes.ascii("\"finish_reason\""), Bytes.ascii("\"error\"")};

  /** Chunks are small; deltas and logprobs are not needed, only their presence. */
  static JsonLimits limits(int maxRetainedChars) {
    return JsonLimits.defaults()
        .withMaxStringChars(ResponseFields.MAX_ERROR_MESSAGE_CHARS)
        .withMaxArrayElements(128)
        .withMaxDepth(6)
        .withMaxRetainedChars(maxRetainedChars)
        .withIgnoredFields("delta", "logprobs", "text", "object", "created", "content_filter_results",
            "prompt_filter_results");
  }

  /** With content capture on: the deltas are kept too, their strings up to the content limit. */
  static JsonLimits contentLimits(int maxRetainedChars, int maxContentChars) {
    return JsonLimits.defaults()
        .withMaxStringChars(Math.max(ResponseFields.MAX_ERROR_MESSAGE_CHARS, maxContentChars))
        .withMaxArrayElements(128)
        .withMaxDepth(8)
        .withMaxRetainedChars(Math.max(maxRetainedChars, maxContentChars * 2))
        .withIgnoredFields("logprobs", "object", "created", "content_filter_results", "prompt_filter_results");
  }

  /** Once id and model are known, the fields every chunk repeats are skipped too (whatever else is ignored). */
  static JsonLimits steadyLimits(JsonLimits first) {
    return first.withMoreIgnoredFields("id", "model", "system_fingerprint", "service_tier", "provider");
  }

  private final CallFacts facts;
  private final JsonLimits firstLimits;
  private final JsonLimits steadyLimits;
  private JsonLimits limits;
  private final long maxParsedBytes;
  private final FinishReasons finishReasons = new FinishReasons();
  private final OpenAiContent.StreamAssembler content;
  private long parsedBytes;

  /**
   * @param steadyLimits {@code limits} with the identity fields ignored too, see {@link #steadyLimits}
   * @param content assembles the streamed completion when content capture is on, else null
   */
  ChunkStream(CallFacts facts, JsonLimits limits, JsonLimits steadyLimits, long maxParsedBytes,
      OpenAiContent.StreamAssembler content) {
    this.facts = facts;
    this.firstLimits = limits;
    this.steadyLimits = steadyLimits;
    this.limits = limits;
    this.maxParsedBytes = maxParsedBytes;
    this.content = content;
  }

  /** The completion assembled from the deltas, or null when content capture is off. */
  String outputMessages() {
    return content == null ? null : content.outputMessages();
  }

  boolean sawFinishReason() {
    return finishReasons.any();
  }

  @Override
  public void onEvent(String event, byte[] data, int offset, int length) {
    if (isDone(data, offset, length)) {
      facts.stream.markEnd();
      return;
    }
    parsedBytes += length;
    if (parsedBytes > maxParsedBytes && !Bytes.containsAny(data, offset, length, WORTH_PARSING_PAST_LIMIT)) {
      facts.stream.chunkArrived();
      return;
    }
    JsonValue chunk = JsonTreeReader.parse(data, offset, length, limits);
    if (chunk != null) apply(event, chunk);
  }

  /**
   * The stream ended without the blank line after its last event. The SSE rules drop such an event; a server that
   * ends its stream with {@code data: [DONE]} and no blank line still meant to finish, so the marker counts, and so
   * does a chunk whose JSON is complete.
   */
  @Override
  public void onUnterminatedEvent(String event, byte[] data, int offset, int length) {
    if (isDone(data, offset, length)) {
      facts.stream.markEnd();
      return;
    }
    JsonValue chunk = JsonTreeReader.parse(data, offset, length, limits);
    if (chunk != null && !chunk.isTruncated()) apply(event, chunk);
  }

  private void apply(String event, JsonValue chunk) {
    if (ResponseFields.applyError(chunk, facts, "stream_error")) return;
    if ("error".equals(event)) {
      facts.response.errorType = "stream_error";
      ResponseFields.applyLooseErrorMessage(chunk, facts);
      return;
    }
    if (!chunk.isObject()) return;
    if (limits == firstLimits) {
      ResponseFields.applyIdentity(chunk, facts);
      if (facts.response.id != null && facts.response.model != null) limits = steadyLimits;
    }
    JsonValue choices = chunk.path("choices");
    if (choices.size() > 0) {
      facts.stream.chunkArrived();
      finishReasons.collect(choices, facts);
      if (content != null) content.onChunk(chunk);
    }
    ResponseFields.applyUsage(chunk.path("usage"), facts);
  }

  static boolean isDone(byte[] data, int offset, int length) {
    return Bytes.isTrimmed(data, offset, length, DONE);
  }
}
