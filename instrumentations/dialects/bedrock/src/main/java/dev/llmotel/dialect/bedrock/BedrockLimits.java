package dev.llmotel.dialect.bedrock;

import dev.llmotel.dialect.DialectContext;
import dev.llmotel.wire.JsonLimits;

/**
 * The JSON limits a Bedrock session parses with, derived once per {@link DialectContext}: request bodies, whole
 * responses, stream event payloads, and the {@code {"bytes":"<base64>"}} wrapper of InvokeModel stream chunks.
 * Without content capture, prompts, tools and completions are skipped unread.
 */
final class BedrockLimits {
  static final int MAX_ERROR_MESSAGE_CHARS = 500;
  /** Request fields holding prompts, tools and other bulk, in either body shape (Converse, Anthropic). */
  private static final String[] REQUEST_BULK = {"messages", "system", "toolConfig", "tools", "tool_choice",
      "guardrailConfig", "promptVariables", "requestMetadata", "additionalModelResponseFieldPaths", "metadata",
      "thinking", "performanceConfig"};
  private static final String[] CONTENT_NOISE = {"signature", "citations", "cache_control", "cachePoint",
      "guardContent", "redactedContent", "trace"};

  final DialectContext context;
  final JsonLimits request;
  final JsonLimits response;
  final JsonLimits event;
  final JsonLimits chunkWrapper;

  BedrockLimits(DialectContext context) {
    this.context = context;
    boolean capture = context.captureContent();
    int text = Math.max(MAX_ERROR_MESSAGE_CHARS, context.maxContentChars());
    JsonLimits base = JsonLimits.defaults().withMaxDocumentBytes(context.maxParsedBytes());
    if (capture) {
      request = base.withMaxStringChars(text).withMaxArrayElements(256).withMaxDepth(16)
          .withMaxRetainedChars(Math.max(context.maxRetainedChars(), context.maxContentChars() * 8))
          .withIgnoredFields("guardrailConfig", "promptVariables", "requestMetadata", "metadata", "signature",
              "citations", "cache_control", "cachePoint", "performanceConfig");
      response = base.withMaxStringChars(text).withMaxArrayElements(128).withMaxDepth(16)
          .withMaxRetainedChars(Math.max(context.maxRetainedChars(), context.maxContentChars() * 4))
          .withIgnoredFields(CONTENT_NOISE);
      event = JsonLimits.defaults().withMaxStringChars(text).withMaxArrayElements(128).withMaxDepth(12)
          .withMaxRetainedChars(Math.max(context.maxRetainedChars(), context.maxContentChars() * 2))
          .withIgnoredFields(CONTENT_NOISE);
    } else {
      request = base.withMaxStringChars(256).withMaxArrayElements(16).withMaxDepth(4)
          .withMaxRetainedChars(context.maxRetainedChars()).withIgnoredFields(REQUEST_BULK);
      response = base.withMaxStringChars(MAX_ERROR_MESSAGE_CHARS).withMaxArrayElements(16).withMaxDepth(6)
          .withMaxRetainedChars(context.maxRetainedChars()).withIgnoredFields("output", "content", "trace",
              "additionalModelResponseFields", "performanceConfig");
      event = JsonLimits.defaults().withMaxStringChars(MAX_ERROR_MESSAGE_CHARS).withMaxArrayElements(16)
          .withMaxDepth(6).withMaxRetainedChars(context.maxRetainedChars())
          .withIgnoredFields("content", "content_block", "text", "partial_json", "thinking", "signature",
              "citations", "trace", "additionalModelResponseFields");
    }
    // a chunk's base64 is as long as the event it carries, which is at most maxEventBytes
    chunkWrapper = JsonLimits.defaults().withMaxStringChars(context.maxEventBytes()).withMaxDepth(2)
        .withMaxRetainedChars(Math.max(context.maxEventBytes(), 1024)).withMaxObjectFields(8);
  }

  static BedrockLimits forContext(BedrockLimits last, DialectContext context) {
    return last != null && last.context == context ? last : new BedrockLimits(context);
  }
}
