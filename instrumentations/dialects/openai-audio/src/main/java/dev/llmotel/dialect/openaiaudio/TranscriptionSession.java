package dev.llmotel.dialect.openaiaudio;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import dev.llmotel.wire.SseDecoder;
import java.util.Map;

/**
 * One speech-to-text call. The request is a multipart upload: its {@code model}, {@code language},
 * {@code response_format} and {@code stream} fields are read as the body streams by, the audio itself is never kept
 * ({@link MultipartFields}). The answer is JSON ({@code {text, usage}}, {@code verbose_json} with {@code duration} and
 * {@code language}), plain text ({@code text}, {@code srt}, {@code vtt}: nothing to read), or with {@code stream=true}
 * an SSE stream of {@code transcript.text.delta} events ended by {@code transcript.text.done} (with usage). The text
 * itself is never kept. Usage is tokens ({@code input_tokens}, {@code output_tokens}) or
 * {@code {type: "duration", seconds}}.
 */
final class TranscriptionSession implements DialectSession {
  static final int MAX_FIELD_BYTES = 256;
  /** The transcript, its segments and words are not needed: only usage, duration, language and errors. */
  static final JsonLimits RESPONSE_LIMITS = JsonLimits.defaults()
      .withMaxStringChars(ErrorBodies.MAX_MESSAGE_CHARS).withMaxDepth(5).withMaxArrayElements(16)
      .withMaxRetainedChars(16 * 1024).withIgnoredFields("text", "segments", "words", "logprobs", "delta");

  private final CallFacts facts = new CallFacts();
  private final DialectContext context;
  private final MultipartFields form;
  private long requestBytes;
  private boolean requestRead;
  private JsonTreeReader document;
  private SseDecoder events;
  private long parsedBytes;

  TranscriptionSession(String operation, String provider, String azureDeployment, String boundary,
      DialectContext context) {
    this.context = context;
    this.form = new MultipartFields(boundary, MAX_FIELD_BYTES, "model", "language", "response_format", "stream");
    facts.request.operationName = operation;
    facts.request.providerName = provider;
    facts.request.model = azureDeployment;
    facts.request.outputType = "text";
  }

  @Override
  public CallFacts facts() {
    return facts;
  }

  @Override
  public void onRequestBody(byte[] bytes, int offset, int length) {
    try {
      if (requestRead || requestBytes > context.maxParsedBytes()) return;
      requestBytes += length;
      form.feed(bytes, offset, length);
    } catch (RuntimeException ignored) {
      // the facts stay as they are
    }
  }

  @Override
  public void onRequestBodyEnd() {
    if (requestRead) return;
    requestRead = true;
    Map<String, String> fields = form.fields();
    String model = trimmed(fields.get("model"));
    if (model != null) facts.request.model = model;
    String language = trimmed(fields.get("language"));
    if (language != null) facts.response.putExtra(AudioAttributes.LANGUAGE, language);
    String format = trimmed(fields.get("response_format"));
    if (format != null) facts.response.putExtra(AudioAttributes.FORMAT, format);
    if ("true".equalsIgnoreCase(trimmed(fields.get("stream")))) facts.stream.streamed = true;
  }

  @Override
  public void onResponse(int statusCode, HeaderLookup headers) {
    onRequestBodyEnd();
    if (facts.response.eventStream) {
      facts.stream.streamed = true;
      events = new SseDecoder(context.maxEventBytes(), new Events());
    } else if (statusCode >= 400 || isJson(facts.response.contentType)) {
      document = new JsonTreeReader(statusCode >= 400 ? ErrorBodies.LIMITS : RESPONSE_LIMITS);
    }
  }

  @Override
  public void onResponseBody(byte[] bytes, int offset, int length) {
    if (events != null) {
      events.feed(bytes, offset, length);
    } else if (document != null) {
      parsedBytes += length;
      if (parsedBytes <= context.maxParsedBytes()) document.feed(bytes, offset, length);
    }
  }

  @Override
  public void onResponseEnd(boolean complete) {
    if (events != null) {
      if (complete) events.end();
      return;
    }
    if (document == null) return;
    JsonValue body = document.end();
    document = null;
    if (facts.response.httpStatus >= 400) {
      ErrorBodies.apply(body, facts, Integer.toString(facts.response.httpStatus));
      return;
    }
    if (body == null || !body.isObject()) return;
    if (ErrorBodies.apply(body, facts, "error") && !body.path("usage").isPresent()) return;
    applyResult(body);
  }

  /** usage, duration, language of a whole answer or of the stream's {@code transcript.text.done}. */
  private void applyResult(JsonValue body) {
    JsonValue usage = body.path("usage");
    if (usage.isObject()) {
      if ("duration".equals(usage.path("type").asText(null))) {
        double seconds = usage.path("seconds").asDouble(-1);
        if (seconds >= 0) facts.response.putExtra(AudioAttributes.DURATION, seconds);
      } else {
        long input = usage.path("input_tokens").asLong(-1);
        if (input >= 0) facts.usage.inputTokens = input;
        long output = usage.path("output_tokens").asLong(-1);
        if (output >= 0) facts.usage.outputTokens = output;
      }
    }
    double duration = body.path("duration").asDouble(-1);
    if (duration >= 0) facts.response.putExtra(AudioAttributes.DURATION, duration);
    String language = body.path("language").asNonEmptyText();
    if (language != null && !facts.response.extra().containsKey(AudioAttributes.LANGUAGE)) {
      facts.response.putExtra(AudioAttributes.LANGUAGE, language);
    }
  }

  static boolean isJson(String contentType) {
    return contentType == null || contentType.toLowerCase(java.util.Locale.ROOT).contains("json");
  }

  static String trimmed(String s) {
    if (s == null) return null;
    String t = s.trim();
    return t.isEmpty() ? null : t;
  }

  /** {@code transcript.text.delta} events are chunks; {@code transcript.text.done} ends the stream. */
  private final class Events implements SseDecoder.Listener {
    @Override
    public void onEvent(String event, byte[] data, int offset, int length) {
      JsonValue chunk = JsonTreeReader.parse(data, offset, length, RESPONSE_LIMITS);
      if (chunk == null || !chunk.isObject()) return;
      String type = chunk.path("type").asText(event);
      if ("transcript.text.delta".equals(type)) {
        facts.stream.chunkArrived();
      } else if ("transcript.text.done".equals(type)) {
        applyResult(chunk);
        facts.stream.markEnd();
      } else if ("error".equals(type) || "error".equals(event)) {
        if (!ErrorBodies.apply(chunk, facts, "stream_error")) facts.response.errorType = "stream_error";
      }
    }

    @Override
    public void onUnterminatedEvent(String event, byte[] data, int offset, int length) {
      JsonValue chunk = JsonTreeReader.parse(data, offset, length, RESPONSE_LIMITS);
      if (chunk != null && !chunk.isTruncated()) onEvent(event, data, offset, length);
    }
  }
}
