package dev.llmotel.dialect.openairesponses;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.wire.Bytes;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import dev.llmotel.wire.SseDecoder;

/**
 * The events of a streamed response, told apart by their {@code event:} name (or, from a server that sends none, by
 * the {@code type} in their data):
 * <ul>
 *   <li>{@code *.delta}: one chunk each, never parsed unless content capture is on;</li>
 *   <li>{@code response.created}, {@code .in_progress}, {@code .queued}: id, model and service tier, until known;</li>
 *   <li>{@code response.completed}, {@code .incomplete}, {@code .failed}: the whole response (usage, finish reason,
 *       error) and the end of the stream;</li>
 *   <li>{@code error}: the error type and message;</li>
 *   <li>{@code response.output_item.added} / {@code .done}: the output items, with content capture on only;</li>
 *   <li>{@code data: [DONE]}, which some proxies add: the end too.</li>
 * </ul>
 * Every other event is ignored. Past {@code maxParsedBytes} of parsed event data, only the events that end the stream
 * or report an error are still parsed; deltas are still counted. An event over {@code maxEventBytes} is not read at
 * all: a delta still counts, a final event still ends the stream (without the usage it carried).
 */
final class EventStream implements SseDecoder.Listener {
  private static final byte[] DONE = {'[', 'D', 'O', 'N', 'E', ']'};
  private static final byte[] DELTA_TYPE = Bytes.ascii(".delta\"");

  private final CallFacts facts;
  private final ResponsesLimits limits;
  private final long maxParsedBytes;
  /** The output assembled with content capture on, else null. */
  private final ResponsesOutput output;
  private long parsedBytes;
  private boolean identityKnown;

  EventStream(CallFacts facts, ResponsesLimits limits, long maxParsedBytes, ResponsesOutput output) {
    this.facts = facts;
    this.limits = limits;
    this.maxParsedBytes = maxParsedBytes;
    this.output = output;
  }

  @Override
  public void onEvent(String event, byte[] data, int offset, int length) {
    if (isDone(data, offset, length)) {
      facts.stream.markEnd();
      return;
    }
    if (event != null && !event.equals("message")) {
      onNamedEvent(event, data, offset, length);
      return;
    }
    // no event name: the data's type tells; past the limit a delta is recognised without parsing
    if (parsedBytes > maxParsedBytes && Bytes.contains(data, offset, length, DELTA_TYPE)) {
      facts.stream.chunkArrived();
      return;
    }
    JsonValue json = parse(data, offset, length, limits.responseEvent);
    if (json == null) return;
    String type = json.path("type").asNonEmptyText();
    if (type != null) onParsedEvent(type, json);
  }

  private void onNamedEvent(String type, byte[] data, int offset, int length) {
    if (type.endsWith(".delta")) {
      facts.stream.chunkArrived();
      if (output != null && parsedBytes <= maxParsedBytes) {
        JsonValue json = parse(data, offset, length, limits.outputEvent);
        if (json != null) output.onDelta(type, json);
      }
      return;
    }
    switch (kind(type)) {
      case END:
      case ERROR:
        onParsedEvent(type, parse(data, offset, length, limits.responseEvent));
        return;
      case IDENTITY:
        if (!identityKnown && parsedBytes <= maxParsedBytes) {
          onParsedEvent(type, parse(data, offset, length, limits.responseEvent));
        }
        return;
      case ITEM:
        if (output != null && parsedBytes <= maxParsedBytes) {
          onParsedEvent(type, parse(data, offset, length, limits.outputEvent));
        }
        return;
      default:
    }
  }

  /** An event already parsed (with limits that keep what its kind needs). */
  private void onParsedEvent(String type, JsonValue json) {
    if (type.endsWith(".delta")) {
      facts.stream.chunkArrived();
      if (output != null && json != null) output.onDelta(type, json);
      return;
    }
    switch (kind(type)) {
      case END:
        if (json != null) finish(json.path("response"));
        facts.stream.markEnd();
        return;
      case ERROR:
        ResponseObject.applyErrorEvent(json, facts);
        return;
      case IDENTITY:
        if (json == null) return;
        ResponseObject.applyIdentity(json.path("response"), facts);
        identityKnown = facts.response.id != null && facts.response.model != null;
        return;
      case ITEM:
        if (output != null && json != null) output.onItem(json);
        return;
      default:
    }
  }

  /**
   * The stream ended without the blank line after its last event. The SSE rules drop such an event; one that ends
   * the stream or reports an error still counts when its JSON is whole (the server meant to send it).
   */
  @Override
  public void onUnterminatedEvent(String event, byte[] data, int offset, int length) {
    if (isDone(data, offset, length)) {
      facts.stream.markEnd();
      return;
    }
    JsonValue json = JsonTreeReader.parse(data, offset, length, limits.responseEvent);
    if (json == null || json.isTruncated()) return;
    String type = event != null && !event.equals("message") ? event : json.path("type").asNonEmptyText();
    if (type == null) return;
    Kind kind = kind(type);
    if (kind == Kind.END || kind == Kind.ERROR) onParsedEvent(type, json);
  }

  /**
   * An event larger than {@code maxEventBytes} was dropped: a delta still counts, and a final response too large to
   * read (a very long output repeated in {@code response.completed}) still ends the stream, without its usage.
   */
  @Override
  public void onOversizedEvent(String event, long dataBytes) {
    if (event == null) return;
    if (event.endsWith(".delta")) facts.stream.chunkArrived();
    else if (kind(event) == Kind.END) facts.stream.markEnd();
  }

  /** The output messages assembled so far, or null (content capture off, or no output). */
  String outputMessages() {
    if (output == null) return null;
    return output.render(facts.response.finishReasons.isEmpty() ? null : facts.response.finishReasons.get(0));
  }

  private void finish(JsonValue response) {
    ResponseObject.apply(response, facts);
    if (output != null && response.path("output").retainedSize() > 0) output.setAll(response.path("output"));
  }

  private JsonValue parse(byte[] data, int offset, int length, JsonLimits l) {
    parsedBytes += length;
    return JsonTreeReader.parse(data, offset, length, l);
  }

  private enum Kind { END, ERROR, IDENTITY, ITEM, OTHER }

  private static Kind kind(String type) {
    switch (type) {
      case "response.completed":
      case "response.incomplete":
      case "response.failed":
        return Kind.END;
      case "error":
        return Kind.ERROR;
      case "response.created":
      case "response.in_progress":
      case "response.queued":
        return Kind.IDENTITY;
      case "response.output_item.added":
      case "response.output_item.done":
        return Kind.ITEM;
      default:
        return Kind.OTHER;
    }
  }

  static boolean isDone(byte[] data, int offset, int length) {
    return Bytes.isTrimmed(data, offset, length, DONE);
  }
}
