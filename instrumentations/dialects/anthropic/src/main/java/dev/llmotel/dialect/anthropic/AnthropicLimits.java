package dev.llmotel.dialect.anthropic;

import dev.llmotel.dialect.DialectContext;
import dev.llmotel.wire.JsonLimits;

/**
 * The JSON limits an Anthropic session parses with, derived once per {@link DialectContext} and shared by every
 * session under that context: request bodies, whole responses and stream events. Without content capture, message
 * content is skipped unread wherever it occurs; with it, content is kept with strings cut at the content limit.
 */
final class AnthropicLimits {
  /** Request fields that hold prompts, tools and other bulk; none of the request parameters is among them. */
  private static final String[] REQUEST_BULK = {"messages", "system", "tools", "tool_choice", "metadata", "thinking",
      "mcp_servers", "container", "context_management"};
  /** Opaque or bulky parts of content blocks that no captured part needs. */
  private static final String[] CONTENT_NOISE = {"signature", "citations", "cache_control"};

  final DialectContext context;
  final JsonLimits request;
  final JsonLimits response;
  final JsonLimits event;

  AnthropicLimits(DialectContext context) {
    this.context = context;
    boolean capture = context.captureContent();
    this.request = capture ? contentRequest(context) : plainRequest(context);
    this.response = capture ? contentResponse(context) : plainResponse(context);
    this.event = capture ? contentEvent(context) : plainEvent(context);
  }

  /** The limits for the context: the last ones derived when the context is the same, else new ones. */
  static AnthropicLimits forContext(AnthropicLimits last, DialectContext context) {
    return last != null && last.context == context ? last : new AnthropicLimits(context);
  }

  private static JsonLimits plainRequest(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(256)
        .withMaxArrayElements(16)
        .withMaxDepth(4)
        .withMaxRetainedChars(context.maxRetainedChars())
        .withMaxDocumentBytes(context.maxParsedBytes())
        .withIgnoredFields(REQUEST_BULK);
  }

  private static JsonLimits contentRequest(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(Math.max(256, context.maxContentChars()))
        .withMaxArrayElements(256)
        .withMaxDepth(12)
        .withMaxRetainedChars(Math.max(context.maxRetainedChars(), context.maxContentChars() * 8))
        .withMaxDocumentBytes(context.maxParsedBytes())
        .withIgnoredFields("metadata", "mcp_servers", "container", "context_management", "signature", "citations",
            "cache_control");
  }

  private static JsonLimits plainResponse(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(MessageFields.MAX_ERROR_MESSAGE_CHARS)
        .withMaxArrayElements(16)
        .withMaxDepth(6)
        .withMaxRetainedChars(context.maxRetainedChars())
        .withMaxDocumentBytes(context.maxParsedBytes())
        .withIgnoredFields("content", "container");
  }

  private static JsonLimits contentResponse(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(Math.max(MessageFields.MAX_ERROR_MESSAGE_CHARS, context.maxContentChars()))
        .withMaxArrayElements(128)
        .withMaxDepth(10)
        .withMaxRetainedChars(Math.max(context.maxRetainedChars(), context.maxContentChars() * 4))
        .withMaxDocumentBytes(context.maxParsedBytes())
        .withIgnoredFields(CONTENT_NOISE);
  }

  /** Events are small; without capture only the fields of message_start, message_delta and error are needed. */
  private static JsonLimits plainEvent(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(MessageFields.MAX_ERROR_MESSAGE_CHARS)
        .withMaxArrayElements(16)
        .withMaxDepth(6)
        .withMaxRetainedChars(context.maxRetainedChars())
        .withIgnoredFields("content", "content_block", "text", "partial_json", "thinking", "signature", "citations",
            "container");
  }

  private static JsonLimits contentEvent(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(Math.max(MessageFields.MAX_ERROR_MESSAGE_CHARS, context.maxContentChars()))
        .withMaxArrayElements(128)
        .withMaxDepth(8)
        .withMaxRetainedChars(Math.max(context.maxRetainedChars(), context.maxContentChars() * 2))
        .withIgnoredFields(CONTENT_NOISE);
  }
}
