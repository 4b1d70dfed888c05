package dev.llmotel.dialect.gemini;

import dev.llmotel.dialect.DialectContext;
import dev.llmotel.wire.JsonLimits;

/**
 * The JSON limits a Gemini session parses with, derived once per {@link DialectContext} and shared by every session
 * under it: request bodies, whole responses (generate, embeddings, errors) and stream chunks (before and after the
 * response's identity is known). Without content capture, prompts and answers are skipped or summarized, never kept;
 * only whether a candidate calls a function (its name) is read, for its finish reason.
 */
final class GeminiLimits {
  /** Characters kept of an error message. */
  static final int MAX_ERROR_MESSAGE_CHARS = 500;

  /** Bulk in a response no fact needs (without content capture the answer's text and data are among it). */
  private static final String[] RESPONSE_NOISE = {"safetyRatings", "citationMetadata", "groundingMetadata",
      "logprobsResult", "avgLogprobs", "promptTokensDetails", "candidatesTokensDetails", "cacheTokensDetails",
      "toolUsePromptTokensDetails", "urlContextMetadata", "createTime", "thoughtSignature"};
  private static final String[] ANSWER = {"text", "inlineData", "inline_data", "executableCode",
      "codeExecutionResult", "args", "response", "fileData"};

  final DialectContext context;
  final JsonLimits request;
  final JsonLimits response;
  final JsonLimits embeddingsResponse;
  final JsonLimits errorResponse;
  final JsonLimits firstChunk;
  final JsonLimits steadyChunk;

  GeminiLimits(DialectContext context) {
    this.context = context;
    boolean content = context.captureContent();
    this.request = content ? contentRequest(context) : plainRequest(context);
    this.response = content ? contentResponse(context, true) : plainResponse(context, true);
    this.embeddingsResponse = embeddings(context);
    this.errorResponse = error(context);
    this.firstChunk = content ? contentResponse(context, false) : plainResponse(context, false);
    // every chunk repeats the response's id and model version; once both are known they are skipped
    this.steadyChunk = firstChunk.withMoreIgnoredFields("responseId", "modelVersion");
  }

  /** The limits for the context: the last ones derived when the context is the same, else new ones. */
  static GeminiLimits forContext(GeminiLimits last, DialectContext context) {
    return last != null && last.context == context ? last : new GeminiLimits(context);
  }

  /** Only the parameters: contents, system instruction, tools and embedding inputs keep their size, not their text. */
  private static JsonLimits plainRequest(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(256)
        .withMaxArrayElements(16)
        .withMaxDepth(4)
        .withMaxRetainedChars(context.maxRetainedChars())
        .withMaxDocumentBytes(context.maxParsedBytes())
        .withSummarizedFields("contents", "systemInstruction", "system_instruction", "tools", "toolConfig",
            "tool_config", "safetySettings", "safety_settings", "requests", "content", "responseSchema",
            "response_schema", "responseJsonSchema", "response_json_schema", "speechConfig", "thinkingConfig",
            "labels");
  }

  /** Contents, system instruction and tools kept (strings up to the content limit); inline data only counted. */
  private static JsonLimits contentRequest(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(Math.max(256, context.maxContentChars()))
        .withMaxArrayElements(256)
        .withMaxDepth(12)
        .withMaxRetainedChars(Math.max(context.maxRetainedChars(), context.maxContentChars() * 8))
        .withMaxDocumentBytes(context.maxParsedBytes())
        .withSummarizedFields("data", "safetySettings", "safety_settings", "requests", "content", "thoughtSignature",
            "thought_signature", "labels");
  }

  /**
   * Candidates down to their parts' function-call names, finish reasons, usage, prompt feedback and errors; the
   * answer itself is skipped.
   */
  private static JsonLimits plainResponse(DialectContext context, boolean whole) {
    JsonLimits limits = JsonLimits.defaults()
        .withMaxStringChars(MAX_ERROR_MESSAGE_CHARS)
        .withMaxArrayElements(128)
        .withMaxDepth(8)
        .withMaxRetainedChars(context.maxRetainedChars())
        .withIgnoredFields(concat(RESPONSE_NOISE, ANSWER));
    return whole ? limits.withMaxDocumentBytes(context.maxParsedBytes()) : limits;
  }

  /** With content capture: the parts are kept too, their strings up to the content limit; inline data skipped. */
  private static JsonLimits contentResponse(DialectContext context, boolean whole) {
    JsonLimits limits = JsonLimits.defaults()
        .withMaxStringChars(Math.max(MAX_ERROR_MESSAGE_CHARS, context.maxContentChars()))
        .withMaxArrayElements(128)
        .withMaxDepth(12)
        .withMaxRetainedChars(Math.max(context.maxRetainedChars(), context.maxContentChars() * 4))
        .withSummarizedFields("data")
        .withIgnoredFields(RESPONSE_NOISE);
    return whole ? limits.withMaxDocumentBytes(context.maxParsedBytes()) : limits;
  }

  /**
   * embedContent answers {@code {"embedding": {"values": [...]}}}, batchEmbedContents {@code {"embeddings": [...]}}:
   * the vectors keep only their length (the dimension count).
   */
  private static JsonLimits embeddings(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(MAX_ERROR_MESSAGE_CHARS)
        .withMaxArrayElements(4)
        .withMaxDepth(4)
        .withMaxRetainedChars(context.maxRetainedChars())
        .withMaxDocumentBytes(context.maxParsedBytes())
        .withSummarizedFields("values");
  }

  /** An error status's body: {@code {"error": {"code", "message", "status", "details"}}} (Vertex: in a list). */
  private static JsonLimits error(DialectContext context) {
    return JsonLimits.defaults()
        .withMaxStringChars(MAX_ERROR_MESSAGE_CHARS)
        .withMaxArrayElements(16)
        .withMaxDepth(4)
        .withMaxRetainedChars(context.maxRetainedChars())
        .withMaxDocumentBytes(context.maxParsedBytes())
        .withSummarizedFields("details");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
