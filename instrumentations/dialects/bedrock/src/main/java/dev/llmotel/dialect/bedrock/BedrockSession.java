package dev.llmotel.dialect.bedrock;

import dev.llmotel.dialect.bedrock.BedrockDialect.Route;
import dev.llmotel.dialect.support.JsonBodySession;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.wire.AwsEventStreamDecoder;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import java.util.Base64;

/**
 * One Bedrock Runtime call. The request body gives the parameters (Converse's {@code inferenceConfig}, or an
 * Anthropic body's {@code max_tokens}, ...); the response is one JSON document, or an AWS event stream
 * ({@code application/vnd.amazon.eventstream}) of Converse events or of {@code chunk}s wrapping a model's own events
 * in base64. Errors come as an error status with {@code x-amzn-ErrorType} and a JSON {@code message}, or in a stream
 * as an exception message ({@code :message-type: exception}, {@code :exception-type}); both give the exception's
 * name as the AWS SDK spells it ({@code ThrottlingException}).
 *
 * <p>End markers: a ConverseStream ends with its {@code metadata} event (usage and latency), which Bedrock always
 * sends after {@code messageStop}; a stream closed between the two lost its usage and counts as truncated. An
 * Anthropic stream ends at {@code message_stop}; any other model's stream at the chunk that carries Bedrock's
 * {@code amazon-bedrock-invocationMetrics} (its last). Chunks: Converse {@code contentBlockDelta}, Anthropic
 * {@code content_block_delta}, any other model's {@code chunk}.
 *
 * <p>Content capture covers Converse (messages, system, tools, the output message, streamed or not); an Anthropic
 * body on InvokeModel is read for parameters, usage and finish reasons only. Never throws.
 */
final class BedrockSession extends JsonBodySession implements AwsEventStreamDecoder.Listener {
  private static final String INVOCATION_METRICS = "amazon-bedrock-invocationMetrics";

  private final Route route;
  private final String modelId;
  private final BedrockLimits limits;
  /** An InvokeModel body in Anthropic's Messages shape (by the model id, or by the body's anthropic_version). */
  private boolean anthropic;

  private boolean errorTypeFromHeader;
  private ConverseContent.StreamAssembler assembler;
  private long parsedBytes;
  /** Anthropic stream usage: message_start gives input and cache counts, message_delta the output count. */
  private long input = -1;
  private long cacheRead = -1;
  private long cacheCreation = -1;

  BedrockSession(Route route, String modelId, String provider, BedrockLimits limits) {
    super(limits.context, limits.request);
    this.route = route;
    this.modelId = modelId;
    this.limits = limits;
    this.anthropic = !route.converse() && isAnthropicModel(modelId);
    facts.request.providerName = provider;
    facts.request.model = modelId;
    if (route.converse() || anthropic) facts.request.operationName = BedrockDialect.CHAT;
    if (route.stream) facts.stream.streamed = true;
  }

  /** {@code anthropic.claude-...}, an inference profile {@code us.anthropic.claude-...}, or an ARN naming one. */
  static boolean isAnthropicModel(String modelId) {
    return modelId.startsWith("anthropic.") || modelId.contains(".anthropic.") || modelId.contains("/anthropic.");
  }

  @Override
  protected void onRequest(JsonValue body) {
    if (body == null || !body.isObject()) return;
    if (route.converse()) {
      JsonValue config = body.path("inferenceConfig");
      long maxTokens = config.path("maxTokens").asLong(-1);
      if (maxTokens >= 0) facts.request.maxTokens = maxTokens;
      facts.request.temperature = BedrockFields.number(config.path("temperature"));
      facts.request.topP = BedrockFields.number(config.path("topP"));
      facts.request.stopSequences = BedrockFields.strings(config.path("stopSequences"));
      facts.request.topK = BedrockFields.number(body.path("additionalModelRequestFields").path("top_k"));
      if (context.captureContent()) {
        int max = context.maxContentChars();
        facts.request.inputMessagesJson = ConverseContent.inputMessages(body, max);
        facts.request.systemInstructionsJson = ConverseContent.systemInstructions(body, max);
        facts.request.toolDefinitionsJson = ConverseContent.toolDefinitions(body, max);
      }
      return;
    }
    if (body.path("anthropic_version").isString()) {
      anthropic = true;
      facts.request.operationName = BedrockDialect.CHAT;
    }
    if (!anthropic) return;
    long maxTokens = body.path("max_tokens").asLong(-1);
    if (maxTokens >= 0) facts.request.maxTokens = maxTokens;
    facts.request.temperature = BedrockFields.number(body.path("temperature"));
    facts.request.topP = BedrockFields.number(body.path("top_p"));
    facts.request.topK = BedrockFields.number(body.path("top_k"));
    facts.request.stopSequences = BedrockFields.strings(body.path("stop_sequences"));
  }

  @Override
  protected void onResponseHeaders(int statusCode, HeaderLookup headers) {
    if (statusCode >= 400) {
      String type = BedrockFields.errorType(headers.get("x-amzn-ErrorType"));
      if (type != null) {
        facts.response.errorType = type;
        errorTypeFromHeader = true;
      }
    } else {
      facts.response.model = modelId;
      if (!route.converse() && !route.stream) {
        // InvokeModel reports the counts in headers, whatever the model
        BedrockFields.applyUsage(count(headers, "X-Amzn-Bedrock-Input-Token-Count"), -1, -1,
            count(headers, "X-Amzn-Bedrock-Output-Token-Count"), facts);
      }
    }
  }

  private static long count(HeaderLookup headers, String name) {
    String v = headers.get(name);
    if (v == null) return -1;
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
  @Override
  protected StreamParser openStream() {
    if (route == Route.CONVERSE_STREAM && context.captureContent()) {
      assembler = new ConverseContent.StreamAssembler(context.maxContentChars());
    }
    AwsEventStreamDecoder decoder = new AwsEventStreamDecoder(context.maxEventBytes(), this);
    return new StreamParser() {
      @Override
      public void feed(byte[] bytes, int offset, int length) {
        decoder.feed(bytes, offset, length);
      }

      @Override
      public void end(boolean complete) {
        if (complete) decoder.end();
        if (assembler != null) facts.response.outputMessagesJson = assembler.outputMessages();
      }
    };
  }

  @Override
  protected JsonLimits responseLimits() {
    return limits.response;
  }

  @Override
  protected void onResponseDocument(JsonValue body) {
    readResponse(body);
  }

  private void readResponse(JsonValue body) {
    if (facts.response.httpStatus >= 400) {
      if (body == null || !body.isObject()) return;
      if (!errorTypeFromHeader) {
        String type = BedrockFields.errorType(body.path("__type").asNonEmptyText());
        if (type != null) facts.response.errorType = type;
      }
      String message = BedrockFields.errorMessage(body);
      if (message != null) facts.response.errorMessage = message;
      return;
    }
    if (body == null || !body.isObject()) return;
    if (route.converse()) {
      String stopReason = body.path("stopReason").asNonEmptyText();
      BedrockFields.applyStopReason(stopReason, facts);
      BedrockFields.applyConverseUsage(body.path("usage"), facts);
      if (context.captureContent()) {
        facts.response.outputMessagesJson = ConverseContent.outputMessages(body,
            stopReason == null ? null : BedrockFields.finishReason(stopReason), context.maxContentChars());
      }
    } else if (anthropic) {
      facts.response.id = body.path("id").asNonEmptyText();
      BedrockFields.applyStopReason(body.path("stop_reason").asNonEmptyText(), facts);
      applyAnthropicUsage(body.path("usage"));
    }
  }

  private void applyAnthropicUsage(JsonValue usage) {
    if (!usage.isObject()) return;
    input = keep(usage.path("input_tokens").asLong(-1), input);
    cacheRead = keep(usage.path("cache_read_input_tokens").asLong(-1), cacheRead);
    cacheCreation = keep(usage.path("cache_creation_input_tokens").asLong(-1), cacheCreation);
    BedrockFields.applyUsage(input, cacheRead, cacheCreation, usage.path("output_tokens").asLong(-1), facts);
  }

  private static long keep(long value, long previous) {
    return value >= 0 ? value : previous;
  }

  // ---- the event stream

  @Override
  public void onMessage(String messageType, String eventType, String exceptionType, byte[] payload, int offset,
      int length) {
    if ("exception".equals(messageType) || "error".equals(messageType)) {
      String type = BedrockFields.errorType(exceptionType);
      facts.response.errorType = type != null ? type : "stream_error";
      String message = BedrockFields.errorMessage(JsonTreeReader.parse(payload, offset, length, limits.event));
      if (message != null) facts.response.errorMessage = message;
      return;
    }
    if (eventType == null) return;
    if (route == Route.CONVERSE_STREAM) converseEvent(eventType, payload, offset, length);
    else if ("chunk".equals(eventType)) invokeChunk(payload, offset, length);
  }

  private void converseEvent(String eventType, byte[] payload, int offset, int length) {
    switch (eventType) {
      case "contentBlockDelta":
        facts.stream.chunkArrived();
        if (assembler != null && withinBudget(length)) assembler.onDelta(parse(payload, offset, length));
        break;
      case "contentBlockStart":
        if (assembler != null && withinBudget(length)) assembler.onBlockStart(parse(payload, offset, length));
        break;
      case "messageStop": {
        String stopReason = parse(payload, offset, length).path("stopReason").asNonEmptyText();
        BedrockFields.applyStopReason(stopReason, facts);
        if (assembler != null && stopReason != null) assembler.onFinishReason(BedrockFields.finishReason(stopReason));
        break;
      }
      case "metadata":
        BedrockFields.applyConverseUsage(parse(payload, offset, length).path("usage"), facts);
        facts.stream.markEnd();
        break;
      default:
        // messageStart, contentBlockStop, and event types added later
        break;
    }
  }

  private void invokeChunk(byte[] payload, int offset, int length) {
    JsonValue wrapper = JsonTreeReader.parse(payload, offset, length, limits.chunkWrapper);
    String base64 = wrapper == null ? null : wrapper.path("bytes").asNonEmptyText();
    byte[] inner = null;
    if (base64 != null && !wrapper.path("bytes").isTruncated()) {
      try {
        inner = Base64.getDecoder().decode(base64);
      } catch (IllegalArgumentException e) {
        inner = null;
      }
    }
    JsonValue event = inner == null ? JsonValue.MISSING : parse(inner, 0, inner.length);
    if (!anthropic) {
      facts.stream.chunkArrived();
      if (applyInvocationMetrics(event)) facts.stream.markEnd();
      return;
    }
    switch (event.path("type").asText("")) {
      case "message_start":
        if (facts.response.id == null) facts.response.id = event.path("message").path("id").asNonEmptyText();
        applyAnthropicUsage(event.path("message").path("usage"));
        break;
      case "content_block_delta":
        facts.stream.chunkArrived();
        break;
      case "message_delta":
        BedrockFields.applyStopReason(event.path("delta").path("stop_reason").asNonEmptyText(), facts);
        applyAnthropicUsage(event.path("usage"));
        break;
      case "message_stop":
        if (facts.usage.inputTokens < 0) applyInvocationMetrics(event);
        facts.stream.markEnd();
        break;
      case "error":
        JsonValue error = event.path("error");
        String type = error.path("type").asNonEmptyText();
        facts.response.errorType = type != null ? type : "stream_error";
        String message = BedrockFields.errorMessage(error);
        if (message != null) facts.response.errorMessage = message;
        break;
      default:
        break;
    }
  }

  /** Bedrock's own counts on a stream's last chunk; true when the chunk carried them. */
  private boolean applyInvocationMetrics(JsonValue event) {
    JsonValue metrics = event.path(INVOCATION_METRICS);
    if (!metrics.isObject()) return false;
    BedrockFields.applyUsage(metrics.path("inputTokenCount").asLong(-1), -1, -1,
        metrics.path("outputTokenCount").asLong(-1), facts);
    return true;
  }

  @Override
  public void onOversizedMessage(String messageType, String eventType, String exceptionType, long payloadBytes) {
    if ("exception".equals(messageType) || "error".equals(messageType)) {
      String type = BedrockFields.errorType(exceptionType);
      facts.response.errorType = type != null ? type : "stream_error";
    } else if ("contentBlockDelta".equals(eventType) || "chunk".equals(eventType)) {
      facts.stream.chunkArrived();
      if (assembler != null) assembler.onLostDelta();
    }
  }

  private boolean withinBudget(int length) {
    if (parsedBytes + length > context.maxParsedBytes()) return false;
    parsedBytes += length;
    return true;
  }

  private JsonValue parse(byte[] bytes, int offset, int length) {
    JsonValue v = JsonTreeReader.parse(bytes, offset, length, limits.event);
    return v == null ? JsonValue.MISSING : v;
  }
}
