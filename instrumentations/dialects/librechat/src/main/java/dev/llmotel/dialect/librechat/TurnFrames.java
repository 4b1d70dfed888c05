package dev.llmotel.dialect.librechat;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import dev.llmotel.wire.SseDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The SSE frames of a turn's stream: {@code event: message} frames whose data is {@code {created: true, ...}}, a step
 * event ({@code {event: "on_run_step" | "on_message_delta" | "on_reasoning_delta" | "on_token_usage" | ..., data}}) or
 * the {@code {final: true, ...}} frame (the end marker: message ids, model, token counts, with capture the answer);
 * and {@code event: error} frames (the turn failed or was refused: {@code Illegal request} for a client LibreChat
 * takes for no browser, often with status 200). The first {@code on_message_delta} is the turn's first chunk. Data
 * that is not JSON is skipped (an error frame's is its message). Past {@code maxParsedBytes} of parsed data, frames
 * are only looked at for the final and error ones.
 */
final class TurnFrames implements SseDecoder.Listener {
  static final String STREAM_ERROR = "stream_error";
  static final String REFUSED = "refused";
  private static final String ILLEGAL_REQUEST = "Illegal request";
  private static final String ERROR_EVENT = "error";
  private static final String MESSAGE_DELTA = "on_message_delta";
  private static final String TOKEN_USAGE = "on_token_usage";

  private final CallFacts facts;
  private final LibreChatLimits limits;
  private final long maxParsedBytes;
  private long parsedBytes;
  /** An on_token_usage frame reported usage (summed over frames: an agent's turn may call models several times). */
  private boolean usageReported;

  TurnFrames(CallFacts facts, LibreChatLimits limits, long maxParsedBytes) {
    this.facts = facts;
    this.limits = limits;
    this.maxParsedBytes = maxParsedBytes;
  }

  @Override
  public void onEvent(String event, byte[] data, int offset, int length) {
    if (ERROR_EVENT.equals(event)) {
      applyError(data, offset, length);
      return;
    }
    if (parsedBytes > maxParsedBytes && !mayEnd(data, offset, length)) return;
    parsedBytes += length;
    JsonValue json = JsonTreeReader.parse(data, offset, length, limits.event);
    if (json == null || !json.isObject()) return;
    apply(json);
  }

  /** A frame too large to parse (past the event size limit): its type is unknown, nothing is counted. */
  @Override
  public void onOversizedEvent(String event, long dataBytes) {
    if (ERROR_EVENT.equals(event)) applyErrorMessage(null);
  }

  /** The stream ended in the middle of a frame: a whole final or error frame still counts. */
  @Override
  public void onUnterminatedEvent(String event, byte[] data, int offset, int length) {
    if (ERROR_EVENT.equals(event)) {
      applyError(data, offset, length);
      return;
    }
    JsonValue json = JsonTreeReader.parse(data, offset, length, limits.event);
    if (json != null && json.isObject() && !json.isTruncated() && json.path("final").asBoolean(false)) apply(json);
  }

  private void apply(JsonValue json) {
    if (json.path("final").asBoolean(false)) {
      applyFinal(json);
      facts.stream.markEnd();
      return;
    }
    String type = json.path("event").asText(null);
    if (type == null) return;
    if (MESSAGE_DELTA.equals(type)) {
      facts.stream.chunkArrived();
    } else if (TOKEN_USAGE.equals(type)) {
      JsonValue usage = json.path("data");
      applyUsage(usage.isObject() ? usage : json);
    } else if (ERROR_EVENT.equals(type)) {
      applyErrorMessage(Messages.error(json.path("data")));
    }
  }

  private void applyUsage(JsonValue usage) {
    long input = usage.path("input_tokens").asLong(-1);
    long output = usage.path("output_tokens").asLong(-1);
    if (input < 0 && output < 0) return;
    if (!usageReported) {
      usageReported = true;
      facts.usage.inputTokens = -1;
      facts.usage.outputTokens = -1;
    }
    facts.usage.inputTokens = add(facts.usage.inputTokens, input);
    facts.usage.outputTokens = add(facts.usage.outputTokens, output);
    JsonValue details = usage.path("input_token_details");
    facts.usage.cacheReadTokens = add(facts.usage.cacheReadTokens, details.path("cache_read").asLong(-1));
    facts.usage.cacheCreationTokens =
        add(facts.usage.cacheCreationTokens, details.path("cache_creation").asLong(-1));
    String provider = Endpoints.provider(usage.path("provider").asNonEmptyText());
    if (provider != null) facts.request.providerName = provider;
    String model = usage.path("model").asNonEmptyText();
    if (model != null) facts.response.model = model;
  }

  private static long add(long total, long value) {
    if (value < 0) return total;
    return total < 0 ? value : total + value;
  }

  /** The final frame (or a document that answered the turn at once): ids, model, counts, outcome, answer. */
  void applyFinal(JsonValue json) {
    facts.continuation.end();
    String conversation = json.path("conversation").path("conversationId").asNonEmptyText();
    if (conversation != null) {
      facts.response.putExtra(LibreChatSession.Attributes.CONVERSATION_ID, conversation);
      facts.response.putExtra(LibreChatSession.Attributes.GEN_AI_CONVERSATION_ID, conversation);
    }
    String requestId = json.path("requestMessage").path("messageId").asNonEmptyText();
    facts.response.putExtra(LibreChatSession.Attributes.REQUEST_MESSAGE_ID, requestId);
    JsonValue answer = json.path("responseMessage");
    String answerId = answer.path("messageId").asNonEmptyText();
    if (answerId != null) {
      facts.response.id = answerId;
      facts.response.putExtra(LibreChatSession.Attributes.RESPONSE_MESSAGE_ID, answerId);
    }
    String model = answer.path("model").asNonEmptyText();
    if (model != null) facts.response.model = model;
    if (facts.request.providerName == null || Endpoints.FALLBACK.equals(facts.request.providerName)) {
      String provider = Endpoints.provider(answer.path("endpoint").asNonEmptyText());
      if (provider != null) facts.request.providerName = provider;
    }
    if (!usageReported) {
      long prompt = answer.path("promptTokens").asLong(-1);
      long completion = answer.path("tokenCount").asLong(-1);
      if (prompt >= 0) facts.usage.inputTokens = prompt;
      if (completion >= 0) facts.usage.outputTokens = completion;
    }
    boolean unfinished = answer.path("unfinished").asBoolean(false);
    boolean failed = answer.path("error").asBoolean(false);
    facts.response.putExtra(LibreChatSession.Attributes.COMPLETED, !unfinished && !failed);
    if (failed && facts.response.errorType == null) {
      facts.response.errorType = STREAM_ERROR;
      facts.response.errorMessage = "the answer failed";
    }
    if (limits.context.captureContent()) {
      String out = Messages.assistant(answer, unfinished ? "unfinished" : failed ? "error" : "stop",
          limits.context.maxContentChars());
      if (out != null) facts.response.outputMessagesJson = out;
    }
  }

  private void applyError(byte[] data, int offset, int length) {
    JsonValue json = JsonTreeReader.parse(data, offset, length, limits.error);
    String message = json != null && json.isPresent() ? Messages.error(json) : null;
    if (message == null && (json == null || json.isString() || json.isMissing())) {
      message = json != null && json.isString() ? json.asText(null)
          : new String(data, offset, Math.min(length, LibreChatLimits.MAX_ERROR_CHARS * 4), StandardCharsets.UTF_8)
              .trim();
    }
    applyErrorMessage(message);
  }

  private void applyErrorMessage(String message) {
    facts.continuation.end();
    facts.response.putExtra(LibreChatSession.Attributes.COMPLETED, false);
    if (facts.response.errorType != null && !facts.response.errorType.matches("\\d+")) return;
    boolean refused = message != null && message.contains(ILLEGAL_REQUEST);
    facts.response.errorType = refused ? REFUSED : STREAM_ERROR;
    facts.response.errorMessage = message == null || message.isEmpty() ? null : LibreChatSession.clip(message);
  }

  /** Whether a frame past the parse budget may be the final or an error one (cheap byte search). */
  private static boolean mayEnd(byte[] data, int offset, int length) {
    return contains(data, offset, length, "\"final\"") || contains(data, offset, length, "\"error\"");
  }

  private static boolean contains(byte[] data, int offset, int length, String ascii) {
    int n = ascii.length();
    outer:
    for (int i = offset; i <= offset + length - n; i++) {
      for (int j = 0; j < n; j++) {
        if (data[i + j] != ascii.charAt(j)) continue outer;
      }
      return true;
    }
    return false;
  }
}
