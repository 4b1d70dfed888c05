package dev.llmotel.dialect.openairesponses;

import dev.llmotel.dialect.DialectContext;
import dev.llmotel.wire.JsonLimits;

/**
 * The JSON limits a Responses session parses with, derived once per {@link DialectContext} and shared by every
 * session under it: the request body, a whole response (a non-streamed body, or the one a stream's
 * {@code response.completed} / {@code .incomplete} / {@code .failed} / {@code .created} event carries) and, with
 * content capture on, the small events that carry output ({@code *.delta}, {@code response.output_item.*}).
 */
final class ResponsesLimits {
  static final int MAX_ERROR_MESSAGE_CHARS = 500;

  /** Fields of a response that its facts never need without content capture: skipped, not even decoded. */
  private static final String[] RESPONSE_FIELDS_NOT_NEEDED = {"instructions", "tools", "text", "content", "summary",
      "arguments", "input", "annotations", "logprobs", "metadata", "reasoning", "encrypted_content", "delta",
      "obfuscation", "tool_choice", "prompt"};
  /** Request fields that are bulky and never needed without content capture: only their size is kept. */
  private static final String[] REQUEST_FIELDS_NOT_NEEDED = {"input", "instructions", "tools", "tool_choice",
      "metadata", "prompt", "include", "schema", "conversation"};

  final DialectContext context;
  final JsonLimits request;
  final JsonLimits response;
  /**
   * A stream event carrying a whole response ({@code response.completed}, ...) or an error: as {@link #response} but
   * without the byte limit (an event is bounded by the context's {@code maxEventBytes}, and the end of a stream is
   * always read).
   */
  final JsonLimits responseEvent;
  /** Output events parsed for content capture; null when capture is off (they are then only counted). */
  final JsonLimits outputEvent;

  ResponsesLimits(DialectContext context) {
    this.context = context;
    boolean capture = context.captureContent();
    this.request = capture ? contentRequestLimits(context) : plainRequestLimits(context);
    JsonLimits whole = capture ? contentResponseLimits(context) : plainResponseLimits(context);
    this.responseEvent = whole;
    this.response = whole.withMaxDocumentBytes(context.maxParsedBytes());
    this.outputEvent = capture ? outputEventLimits(context) : null;
  }

  /** The limits for the context: the last ones derived when the context is the same, else new ones. */
  static ResponsesLimits forContext(ResponsesLimits last, DialectContext context) {
    return last != null && last.context == context ? last : new ResponsesLimits(context);
  }

  private static JsonLimits plainRequestLimits(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(256)
        .withMaxArrayElements(16)
        .withMaxDepth(4)
        .withMaxRetainedChars(context.maxRetainedChars())
        .withMaxDocumentBytes(context.maxParsedBytes())
        .withSummarizedFields(REQUEST_FIELDS_NOT_NEEDED);
  }

  private static JsonLimits contentRequestLimits(DialectContext context) {
    // input, instructions and tools are kept (strings up to the content limit); the document stays bounded
    return JsonLimits.defaults()
        .withMaxStringChars(Math.max(256, context.maxContentChars()))
        .withMaxArrayElements(256)
        .withMaxDepth(12)
        .withMaxRetainedChars(Math.max(context.maxRetainedChars(), context.maxContentChars() * 8))
        .withMaxDocumentBytes(context.maxParsedBytes())
        .withSummarizedFields("metadata", "include", "prompt", "encrypted_content");
  }

  /**
   * A response or an event carrying one, read for its identity, status, usage, error and the types of its output
   * items: depth 6 reaches {@code event.response.usage.input_tokens_details.cached_tokens} and
   * {@code event.response.output[i].type}.
   */
  private static JsonLimits plainResponseLimits(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(MAX_ERROR_MESSAGE_CHARS)
        .withMaxArrayElements(128)
        .withMaxDepth(6)
        .withMaxRetainedChars(context.maxRetainedChars())
        .withIgnoredFields(RESPONSE_FIELDS_NOT_NEEDED);
  }

  /** With content capture on: the output items' text, arguments and summaries are kept too. */
  private static JsonLimits contentResponseLimits(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(Math.max(MAX_ERROR_MESSAGE_CHARS, context.maxContentChars()))
        .withMaxArrayElements(128)
        .withMaxDepth(10)
        .withMaxRetainedChars(Math.max(context.maxRetainedChars(), context.maxContentChars() * 4))
        .withIgnoredFields("instructions", "tools", "input", "annotations", "logprobs", "metadata",
            "encrypted_content", "obfuscation", "tool_choice", "prompt");
  }

  private static JsonLimits outputEventLimits(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(Math.max(MAX_ERROR_MESSAGE_CHARS, context.maxContentChars()))
        .withMaxArrayElements(128)
        .withMaxDepth(8)
        .withMaxRetainedChars(Math.max(context.maxRetainedChars(), context.maxContentChars() * 2))
        .withIgnoredFields("annotations", "logprobs", "obfuscation", "encrypted_content");
  }
}
