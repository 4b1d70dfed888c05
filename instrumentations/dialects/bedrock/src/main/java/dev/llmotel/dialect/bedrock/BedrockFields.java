package dev.llmotel.dialect.bedrock;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What both body shapes (Converse, Anthropic-on-Bedrock) share: finish reasons, usage, errors, parameters. */
final class BedrockFields {
  private BedrockFields() {}

  /**
   * The conventions' finish reason for a Converse {@code stopReason} or an Anthropic {@code stop_reason}: stop,
   * length, tool_call, content_filter where they name one; the provider's own value otherwise.
   */
  static String finishReason(String stopReason) {
    switch (stopReason) {
      case "end_turn":
      case "stop_sequence":
        return "stop";
      case "max_tokens":
        return "length";
      case "tool_use":
        return "tool_call";
      case "guardrail_intervened":
      case "content_filtered":
      case "refusal":
        return "content_filter";
      default:
        return stopReason;
    }
  }

  static void applyStopReason(String stopReason, CallFacts facts) {
    if (stopReason == null) return;
    facts.response.finishReasons.clear();
    facts.response.addFinishReason(finishReason(stopReason));
  }

  /**
   * Converse usage ({@code inputTokens}, {@code outputTokens}, {@code cacheReadInputTokens},
   * {@code cacheWriteInputTokens}); the conventions' input includes cache reads and writes, which Bedrock counts
   * apart from {@code inputTokens}.
   */
  static void applyConverseUsage(JsonValue usage, CallFacts facts) {
    if (!usage.isObject()) return;
    long input = usage.path("inputTokens").asLong(-1);
    long cacheRead = usage.path("cacheReadInputTokens").asLong(-1);
    long cacheWrite = usage.path("cacheWriteInputTokens").asLong(-1);
    long output = usage.path("outputTokens").asLong(-1);
    applyUsage(input, cacheRead, cacheWrite, output, facts);
  }

  static void applyUsage(long input, long cacheRead, long cacheWrite, long output, CallFacts facts) {
    if (input >= 0 || cacheRead >= 0 || cacheWrite >= 0) {
      facts.usage.inputTokens = Math.max(0, input) + Math.max(0, cacheRead) + Math.max(0, cacheWrite);
    }
    if (output >= 0) facts.usage.outputTokens = output;
    if (cacheRead >= 0) facts.usage.cacheReadTokens = cacheRead;
    if (cacheWrite >= 0) facts.usage.cacheCreationTokens = cacheWrite;
  }

  /**
   * The error type as the AWS SDK names the exception: the {@code x-amzn-ErrorType} header up to its first colon
   * ({@code ThrottlingException:http://internal.amazon.com/...}), a stream's {@code :exception-type}
   * ({@code throttlingException}) with its first letter raised; null when empty.
   */
  static String errorType(String raw) {
    if (raw == null) return null;
    int colon = raw.indexOf(':');
    String type = (colon >= 0 ? raw.substring(0, colon) : raw).trim();
    int hash = type.lastIndexOf('#'); // a JSON __type may be namespaced: "com.amazon.coral.service#Foo"
    if (hash >= 0) type = type.substring(hash + 1);
    if (type.isEmpty()) return null;
    return Character.toUpperCase(type.charAt(0)) + type.substring(1);
  }

  /** The {@code message} (or {@code Message}) of an AWS error body, cut to a bounded length. */
  static String errorMessage(JsonValue body) {
    if (body == null) return null;
    String message = body.path("message").asNonEmptyText();
    if (message == null) message = body.path("Message").asNonEmptyText();
    if (message == null) return null;
    return message.length() <= BedrockLimits.MAX_ERROR_MESSAGE_CHARS ? message
        : message.substring(0, BedrockLimits.MAX_ERROR_MESSAGE_CHARS);
  }

  static Double number(JsonValue v) {
    return v.isNumber() ? Double.valueOf(v.asDouble(0)) : null;
  }

  static List<String> strings(JsonValue array) {
    List<String> out = new ArrayList<String>(array.retainedSize());
    for (int i = 0; i < array.retainedSize(); i++) {
      String s = array.get(i).asText(null);
      if (s != null) out.add(s);
    }
    return out.isEmpty() ? null : out;
  }
}
