package dev.llmotel.dialect.openai;

import dev.llmotel.dialect.DialectContext;
import dev.llmotel.wire.JsonLimits;

/**
 * The JSON limits an OpenAI session parses with, derived once per {@link DialectContext} (they depend on nothing
 * else) and shared by every session under that context: request bodies, whole responses (chat and completions,
 * embeddings) and stream chunks (before and after the identity fields are known).
 */
final class OpenAiLimits {
  final DialectContext context;
  final JsonLimits request;
  final JsonLimits response;
  final JsonLimits embeddingsResponse;
  final JsonLimits firstChunk;
  final JsonLimits steadyChunk;

  OpenAiLimits(DialectContext context) {
    this.context = context;
    this.request = requestLimits(context);
    JsonLimits plainResponse = plainResponseLimits(context);
    this.response = context.captureContent() ? contentResponseLimits(context) : plainResponse;
    this.embeddingsResponse = plainResponse;
    this.firstChunk = context.captureContent()
        ? ChunkStream.contentLimits(context.maxRetainedChars(), context.maxContentChars())
        : ChunkStream.limits(context.maxRetainedChars());
    this.steadyChunk = ChunkStream.steadyLimits(firstChunk);
  }

  /** The limits for the context: the last ones derived when the context is the same, else new ones. */
  static OpenAiLimits forContext(OpenAiLimits last, DialectContext context) {
    return last != null && last.context == context ? last : new OpenAiLimits(context);
  }

  JsonLimits response(String operation) {
    return OpenAiDialect.EMBEDDINGS.equals(operation) ? embeddingsResponse : response;
  }

  private static JsonLimits requestLimits(DialectContext context) {
    if (context.captureContent()) {
      // messages and tools are kept (strings up to the content limit); the document stays bounded
      return JsonLimits.defaults()
          .withMaxStringChars(Math.max(256, context.maxContentChars()))
          .withMaxArrayElements(256)
          .withMaxDepth(12)
          .withMaxRetainedChars(Math.max(context.maxRetainedChars(), context.maxContentChars() * 8))
          .withMaxDocumentBytes(context.maxParsedBytes())
          .withSummarizedFields("functions", "logit_bias", "prediction", "audio", "metadata");
    }
    return JsonLimits.defaults()
        .withMaxStringChars(256)
        .withMaxArrayElements(16)
        .withMaxDepth(4)
        .withMaxRetainedChars(context.maxRetainedChars())
        .withMaxDocumentBytes(context.maxParsedBytes())
        .withSummarizedFields(RequestParameters.BULKY_FIELDS);
  }

  private static JsonLimits contentResponseLimits(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(Math.max(ResponseFields.MAX_ERROR_MESSAGE_CHARS, context.maxContentChars()))
        .withMaxArrayElements(128)
        .withMaxDepth(10)
        .withMaxRetainedChars(Math.max(context.maxRetainedChars(), context.maxContentChars() * 4))
        .withMaxDocumentBytes(context.maxParsedBytes())
        .withSummarizedFields("annotations", "audio", "logprobs");
  }

  private static JsonLimits plainResponseLimits(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(ResponseFields.MAX_ERROR_MESSAGE_CHARS)
        .withMaxArrayElements(128)
        .withMaxDepth(6)
        .withMaxRetainedChars(context.maxRetainedChars())
        .withMaxDocumentBytes(context.maxParsedBytes())
        .withSummarizedFields("content", "tool_calls", "function_call", "refusal", "annotations", "audio",
            "reasoning_content", "logprobs", "embedding", "text");
  }
}
