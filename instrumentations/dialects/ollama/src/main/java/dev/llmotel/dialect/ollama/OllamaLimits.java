package dev.llmotel.dialect.ollama;

import dev.llmotel.dialect.DialectContext;
import dev.llmotel.wire.JsonLimits;

/**
 * The JSON limits an Ollama session parses with, derived once per {@link DialectContext} and shared by every session
 * under it: request bodies, whole responses (chat and generate, embeddings) and stream lines (before and after the
 * model is known). Without content capture, prompts and completions are skipped or summarized, never kept.
 */
final class OllamaLimits {
  /** Characters kept of an error message. */
  static final int MAX_ERROR_MESSAGE_CHARS = 500;

  final DialectContext context;
  final JsonLimits request;
  final JsonLimits response;
  final JsonLimits embeddingsResponse;
  final JsonLimits errorResponse;
  final JsonLimits firstLine;
  final JsonLimits steadyLine;

  OllamaLimits(DialectContext context) {
    this.context = context;
    boolean content = context.captureContent();
    this.request = content ? contentRequest(context) : plainRequest(context);
    this.response = content ? contentResponse(context) : plainResponse(context);
    this.embeddingsResponse = embeddings(context);
    this.errorResponse = error(context);
    this.firstLine = content ? contentLine(context) : plainLine(context);
    // every line repeats the model (its time is never read); once the model is known it is skipped
    this.steadyLine = firstLine.withMoreIgnoredFields("model");
  }

  /** The limits for the context: the last ones derived when the context is the same, else new ones. */
  static OllamaLimits forContext(OllamaLimits last, DialectContext context) {
    return last != null && last.context == context ? last : new OllamaLimits(context);
  }

  JsonLimits response(OllamaDialect.Route route) {
    return route.embeds() ? embeddingsResponse : response;
  }

  /**
   * Only the parameters: prompts, messages, images and tools keep their size, not their text. Depth 3 keeps
   * {@code options.stop} and cuts a JSON-schema {@code format} below its first level.
   */
  private static JsonLimits plainRequest(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(256)
        .withMaxArrayElements(16)
        .withMaxDepth(3)
        .withMaxRetainedChars(context.maxRetainedChars())
        .withMaxDocumentBytes(context.maxParsedBytes())
        .withSummarizedFields("messages", "tools", "images", "prompt", "input", "system", "suffix", "template",
            "context");
  }

  /** Messages, tools and prompts kept (strings up to the content limit); images only counted. */
  private static JsonLimits contentRequest(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(Math.max(256, context.maxContentChars()))
        .withMaxArrayElements(256)
        .withMaxDepth(12)
        .withMaxRetainedChars(Math.max(context.maxRetainedChars(), context.maxContentChars() * 8))
        .withMaxDocumentBytes(context.maxParsedBytes())
        .withSummarizedFields("images", "template", "context");
  }

  private static JsonLimits plainResponse(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(MAX_ERROR_MESSAGE_CHARS)
        .withMaxArrayElements(16)
        .withMaxDepth(4)
        .withMaxRetainedChars(context.maxRetainedChars())
        .withMaxDocumentBytes(context.maxParsedBytes())
        .withIgnoredFields("message", "response", "thinking", "context", "created_at");
  }

  private static JsonLimits contentResponse(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(Math.max(MAX_ERROR_MESSAGE_CHARS, context.maxContentChars()))
        .withMaxArrayElements(128)
        .withMaxDepth(10)
        .withMaxRetainedChars(Math.max(context.maxRetainedChars(), context.maxContentChars() * 4))
        .withMaxDocumentBytes(context.maxParsedBytes())
        .withSummarizedFields("images")
        .withIgnoredFields("context", "created_at");
  }

  /**
   * {@code /api/embed} answers {@code embeddings}, an array of vectors; depth 2 turns each vector into a placeholder
   * that keeps only its length (the dimension count). {@code /api/embeddings} answers one {@code embedding}, kept the
   * same way.
   */
  private static JsonLimits embeddings(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(MAX_ERROR_MESSAGE_CHARS)
        .withMaxArrayElements(4)
        .withMaxDepth(2)
        .withMaxRetainedChars(context.maxRetainedChars())
        .withMaxDocumentBytes(context.maxParsedBytes())
        .withSummarizedFields("embedding");
  }

  /** An error status's body: {@code {"error": "..."}}, or an object with a {@code message} as proxies send. */
  private static JsonLimits error(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(MAX_ERROR_MESSAGE_CHARS)
        .withMaxArrayElements(16)
        .withMaxDepth(4)
        .withMaxRetainedChars(context.maxRetainedChars())
        .withMaxDocumentBytes(context.maxParsedBytes());
  }

  /** A stream line without content capture: the fields of the final line and errors only. */
  private static JsonLimits plainLine(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(MAX_ERROR_MESSAGE_CHARS)
        .withMaxArrayElements(16)
        .withMaxDepth(4)
        .withMaxRetainedChars(context.maxRetainedChars())
        .withIgnoredFields("message", "response", "thinking", "context", "created_at");
  }

  /** A stream line with content capture: the message (text, thinking, tool calls) is kept too. */
  private static JsonLimits contentLine(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(Math.max(MAX_ERROR_MESSAGE_CHARS, context.maxContentChars()))
        .withMaxArrayElements(128)
        .withMaxDepth(10)
        .withMaxRetainedChars(Math.max(context.maxRetainedChars(), context.maxContentChars() * 2))
        .withSummarizedFields("images")
        .withIgnoredFields("context", "created_at");
  }
}
