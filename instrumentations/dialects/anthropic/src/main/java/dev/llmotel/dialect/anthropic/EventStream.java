package dev.llmotel.dialect.anthropic;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import dev.llmotel.wire.SseDecoder;

/**
 * The events of a streamed message: {@code message_start} (id, model, first usage), {@code content_block_start} /
 * {@code content_block_delta} / {@code content_block_stop} (each delta is a streamed chunk), {@code message_delta}
 * (stop reason, cumulative usage), {@code message_stop} (the end marker), {@code ping}, and {@code error} (a failure
 * reported in the stream; its type is the call's error type).
 *
 * <p>Anthropic names every event ({@code event:} line) as its data's {@code type} does; the name alone decides
 * events whose data is not needed: pings, and content blocks when content is not captured (a delta is then counted
 * without being parsed). Past {@code maxParsedBytes} of parsed event data deltas are only counted, while the events
 * that carry usage, the stop reason, errors or the end are still read. An event without a name is parsed to learn its
 * type.
 */
final class EventStream implements SseDecoder.Listener {
  private static final String MESSAGE_START = "message_start";
  private static final String BLOCK_START = "content_block_start";
  private static final String BLOCK_DELTA = "content_block_delta";
  private static final String BLOCK_STOP = "content_block_stop";
  private static final String MESSAGE_DELTA = "message_delta";
  private static final String MESSAGE_STOP = "message_stop";
  private static final String PING = "ping";
  private static final String ERROR = "error";

  private final CallFacts facts;
  private final JsonLimits limits;
  private final long maxParsedBytes;
  private final AnthropicContent.StreamAssembler content;
  private final MessageFields.Usage usage = new MessageFields.Usage();
  private long parsedBytes;

  /** @param content assembles the streamed message when content capture is on, else null */
  EventStream(CallFacts facts, JsonLimits limits, long maxParsedBytes, AnthropicContent.StreamAssembler content) {
    this.facts = facts;
    this.limits = limits;
    this.maxParsedBytes = maxParsedBytes;
    this.content = content;
  }

  /** The message assembled from the content events, or null when content capture is off. */
  String outputMessages() {
    return content == null ? null : content.outputMessages();
  }

  @Override
  public void onEvent(String event, byte[] data, int offset, int length) {
    if (event != null) {
      switch (event) {
        case PING:
          return;
        case MESSAGE_STOP:
          facts.stream.markEnd();
          return;
        case BLOCK_DELTA:
          if (content == null || parsedBytes + length > maxParsedBytes) {
            facts.stream.chunkArrived();
            return;
          }
          break;
        case BLOCK_START:
        case BLOCK_STOP:
          if (content == null || parsedBytes + length > maxParsedBytes) return;
          break;
        default:
          break;
      }
    }
    parsedBytes += length;
    JsonValue json = JsonTreeReader.parse(data, offset, length, limits);
    if (json != null) apply(event, json);
  }

  /** A delta too large to parse still arrived: it counts as a chunk, and its block's captured text is cut. */
  @Override
  public void onOversizedEvent(String event, long dataBytes) {
    if (!BLOCK_DELTA.equals(event)) return;
    facts.stream.chunkArrived();
    if (content != null) content.onLostDelta();
  }

  /**
   * The stream ended without the blank line after its last event. The SSE rules drop such an event; one whose JSON
   * is complete was nevertheless sent whole, so it counts (a final {@code message_stop} included).
   */
  @Override
  public void onUnterminatedEvent(String event, byte[] data, int offset, int length) {
    JsonValue json = JsonTreeReader.parse(data, offset, length, limits);
    if (json != null && json.isObject() && !json.isTruncated()) apply(event, json);
  }

  private void apply(String event, JsonValue json) {
    String type = json.path("type").asText(event);
    if (type == null) return;
    switch (type) {
      case MESSAGE_START:
        JsonValue message = json.path("message");
        MessageFields.applyIdentity(message, facts);
        usage.apply(message.path("usage"), facts);
        break;
      case BLOCK_START:
        if (content != null) content.onBlockStart(json);
        break;
      case BLOCK_DELTA:
        facts.stream.chunkArrived();
        if (content != null) content.onDelta(json);
        break;
      case MESSAGE_DELTA:
        String stopReason = json.path("delta").path("stop_reason").asNonEmptyText();
        MessageFields.applyStopReason(stopReason, facts);
        if (content != null && stopReason != null) content.onStopReason(stopReason);
        usage.apply(json.path("usage"), facts);
        break;
      case MESSAGE_STOP:
        facts.stream.markEnd();
        break;
      case ERROR:
        if (!MessageFields.applyError(json, facts, "stream_error")) facts.response.errorType = "stream_error";
        break;
      default:
        // content_block_stop, ping, and event types added later: nothing the facts need
        break;
    }
  }
}
