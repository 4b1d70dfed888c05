package dev.llmotel.dialect.openaiaudio;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import dev.llmotel.wire.SseDecoder;

/**
 * One text-to-speech call: {@code {model, input, voice, response_format, speed, stream_format}} answered by binary
 * audio, or with {@code stream_format: "sse"} by {@code speech.audio.delta} events ended by
 * {@code speech.audio.done} (with usage). Binary audio is only counted (bytes, time of the first byte), never parsed
 * or kept; the request's {@code input} only measured. An error answer is OpenAI's error JSON.
 *
 * <p>The time to the first audio byte is measured from this session's creation, which happens as the request leaves
 * (the dialect is asked then), to the moment the first response bytes reached the application.
 */
final class SpeechSession implements DialectSession {
  /** The input text is measured, not kept (its length in UTF-16 characters). */
  static final JsonLimits REQUEST_LIMITS = JsonLimits.defaults().withMaxStringChars(256).withMaxDepth(3)
      .withMaxArrayElements(16).withMaxRetainedChars(8 * 1024).withSummarizedFields("input")
      .withMaxDocumentBytes(4L << 20);
  /** Base64 audio in the deltas is skipped. */
  static final JsonLimits EVENT_LIMITS = JsonLimits.defaults().withMaxStringChars(ErrorBodies.MAX_MESSAGE_CHARS)
      .withMaxDepth(4).withMaxArrayElements(16).withMaxRetainedChars(8 * 1024).withIgnoredFields("audio", "delta");

  private final CallFacts facts = new CallFacts();
  private final DialectContext context;
  private final long openedNanos = System.nanoTime();
  private JsonTreeReader request = new JsonTreeReader(REQUEST_LIMITS);
  private boolean requestRead;
  private JsonTreeReader error;
  private SseDecoder events;
  private boolean binary;
  private long responseBytes;

  SpeechSession(String provider, String azureDeployment, DialectContext context) {
    this.context = context;
    facts.request.operationName = OpenAiAudioDialect.SPEECH;
    facts.request.providerName = provider;
    facts.request.model = azureDeployment;
    facts.request.outputType = "speech";
  }

  @Override
  public CallFacts facts() {
    return facts;
  }

  @Override
  public void onRequestBody(byte[] bytes, int offset, int length) {
    if (request != null) request.feed(bytes, offset, length);
  }

  @Override
  public void onRequestBodyEnd() {
    if (requestRead) return;
    requestRead = true;
    JsonValue body = request == null ? null : request.end();
    request = null;
    if (body == null || !body.isObject()) return;
    String model = body.path("model").asNonEmptyText();
    if (model != null) facts.request.model = model;
    JsonValue input = body.path("input");
    // summarized: the string's length in UTF-16 characters, its text never kept
    long characters = input.isString() ? input.size() : -1;
    if (characters >= 0) facts.response.putExtra(AudioAttributes.INPUT_CHARACTERS, characters);
    String voice = body.path("voice").asNonEmptyText();
    if (voice == null) voice = body.path("voice").path("id").asNonEmptyText();
    if (voice != null) facts.response.putExtra(AudioAttributes.VOICE, voice);
    String format = body.path("response_format").asNonEmptyText();
    if (format != null) facts.response.putExtra(AudioAttributes.FORMAT, format);
    double speed = body.path("speed").asDouble(-1);
    if (speed > 0) facts.response.putExtra(AudioAttributes.SPEED, speed);
    if ("sse".equals(body.path("stream_format").asText(null))) facts.stream.streamed = true;
  }

  @Override
  public void onResponse(int statusCode, HeaderLookup headers) {
    onRequestBodyEnd();
    if (statusCode >= 400) {
      error = new JsonTreeReader(ErrorBodies.LIMITS);
    } else if (facts.response.eventStream) {
      facts.stream.streamed = true;
      events = new SseDecoder(context.maxEventBytes(), new Events());
    } else {
      binary = true;
    }
  }

  @Override
  public void onResponseBody(byte[] bytes, int offset, int length) {
    if (length <= 0) return;
    if (responseBytes == 0 && binary) {
      // the first audio byte: its arrival time (the exchange's, when parsed later) without making it a stream
      facts.stream.chunkArrived();
      double seconds = Math.max(0, facts.stream.firstChunkNanos - openedNanos) / 1e9;
      facts.response.putExtra(AudioAttributes.TIME_TO_FIRST_BYTE, seconds);
    }
    responseBytes += length;
    if (events != null) events.feed(bytes, offset, length);
    else if (error != null) error.feed(bytes, offset, length);
  }

  @Override
  public void onResponseEnd(boolean complete) {
    if (binary || events != null) facts.response.putExtra(AudioAttributes.RESPONSE_BYTES, responseBytes);
    if (events != null && complete) events.end();
    if (error != null) {
      ErrorBodies.apply(error.end(), facts, Integer.toString(facts.response.httpStatus));
      error = null;
    }
  }

  /** {@code speech.audio.delta} events are chunks; {@code speech.audio.done} carries usage and ends the stream. */
  private final class Events implements SseDecoder.Listener {
    @Override
    public void onEvent(String event, byte[] data, int offset, int length) {
      JsonValue chunk = JsonTreeReader.parse(data, offset, length, EVENT_LIMITS);
      if (chunk == null || !chunk.isObject()) return;
      String type = chunk.path("type").asText(event);
      if ("speech.audio.delta".equals(type)) {
        facts.stream.chunkArrived();
      } else if ("speech.audio.done".equals(type)) {
        JsonValue usage = chunk.path("usage");
        long input = usage.path("input_tokens").asLong(-1);
        if (input >= 0) facts.usage.inputTokens = input;
        long output = usage.path("output_tokens").asLong(-1);
        if (output >= 0) facts.usage.outputTokens = output;
        facts.stream.markEnd();
      } else if ("error".equals(type) || "error".equals(event)) {
        if (!ErrorBodies.apply(chunk, facts, "stream_error")) facts.response.errorType = "stream_error";
      }
    }

    /** A delta too large to parse is still a chunk of audio. */
    @Override
    public void onOversizedEvent(String event, long dataBytes) {
      facts.stream.chunkArrived();
    }
  }
}
