package dev.llmotel.dialect.gemini;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.wire.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a GenerateContentResponse says, whether it is a whole response or one chunk of a stream (each chunk is a whole
 * GenerateContentResponse holding what is new): identity, finish reasons per candidate, usage, a blocked prompt, and
 * errors. One instance per call: it remembers, per candidate, whether the candidate called a function (a stream may
 * send the call and the finish reason in different chunks) and the latest token counts.
 *
 * <p>The decisions, per the GenAI semantic conventions:
 * <ul>
 *   <li>finish reasons: {@code STOP} → {@code stop} ({@code tool_call} when the candidate called a function: Gemini
 *       says {@code STOP} then), {@code MAX_TOKENS} → {@code length}, {@code SAFETY}, {@code RECITATION},
 *       {@code BLOCKLIST}, {@code PROHIBITED_CONTENT}, {@code SPII}, {@code IMAGE_SAFETY},
 *       {@code IMAGE_PROHIBITED_CONTENT} → {@code content_filter}; any other reason lower-cased
 *       ({@code MALFORMED_FUNCTION_CALL} → {@code malformed_function_call}, {@code OTHER} → {@code other});</li>
 *   <li>usage: input = {@code promptTokenCount} (it includes the cached tokens) + {@code toolUsePromptTokenCount};
 *       cache read = {@code cachedContentTokenCount}; output = {@code candidatesTokenCount} +
 *       {@code thoughtsTokenCount} (the conventions count reasoning within output, and Gemini bills thoughts as
 *       output); reasoning = {@code thoughtsTokenCount};</li>
 *   <li>a blocked prompt (status 200, {@code promptFeedback.blockReason}, no candidates) failed: finish reason
 *       {@code content_filter}, error type {@value #PROMPT_BLOCKED}, the block reason (and its message) as error
 *       message;</li>
 *   <li>errors ({@code {"error": {"code", "message", "status"}}}, a list of one on Vertex AI): the error type is the
 *       {@code status} ({@code RESOURCE_EXHAUSTED}, {@code INVALID_ARGUMENT}), else the HTTP status.</li>
 * </ul>
 */
final class GeminiResponse {
  static final String PROMPT_BLOCKED = "prompt_blocked";
  private static final int MAX_CANDIDATES = 128;

  private final CallFacts facts;
  private String[] reasons = new String[1];
  private boolean[] calledTool = new boolean[1];
  private int finished;
  private boolean blocked;

  private long prompt = -1;
  private long toolUsePrompt = -1;
  private long candidates = -1;
  private long thoughts = -1;
  private long cached = -1;

  GeminiResponse(CallFacts facts) {
    this.facts = facts;
  }

  /** A candidate finished, or the prompt was blocked: what a stream read to its end needs to be complete. */
  boolean sawEnd() {
    return finished > 0 || blocked;
  }

  /** responseId and modelVersion; the first seen are kept. */
  void applyIdentity(JsonValue body) {
    if (facts.response.id == null) facts.response.id = body.path("responseId").asNonEmptyText();
    if (facts.response.model == null) facts.response.model = body.path("modelVersion").asNonEmptyText();
  }

  /** Everything a response object (or a chunk) of generateContent says. */
  void apply(JsonValue body) {
    applyIdentity(body);
    applyCandidates(body.path("candidates"));
    applyUsage(body.path("usageMetadata"));
    applyPromptFeedback(body.path("promptFeedback"));
  }

  private void applyCandidates(JsonValue list) {
    boolean changed = false;
    for (int i = 0; i < list.retainedSize(); i++) {
      JsonValue candidate = list.get(i);
      long index = candidate.path("index").asLong(i);
      if (index < 0 || index >= MAX_CANDIDATES) continue;
      int at = (int) index;
      grow(at);
      if (!calledTool[at] && callsFunction(candidate.path("content").path("parts"))) {
        calledTool[at] = true;
        changed |= reasons[at] != null;
      }
      String reason = candidate.path("finishReason").asNonEmptyText();
      if (reason != null && !reason.equals(reasons[at])) {
        if (reasons[at] == null) finished++;
        reasons[at] = reason;
        changed = true;
      }
    }
    if (changed) writeFinishReasons();
  }

  private static boolean callsFunction(JsonValue parts) {
    for (int p = 0; p < parts.retainedSize(); p++) {
      JsonValue part = parts.get(p);
      if (part.path("functionCall").isObject() || part.path("function_call").isObject()) return true;
    }
    return false;
  }

  private void grow(int index) {
    if (index < reasons.length) return;
    int size = Math.max(index + 1, reasons.length * 2);
    reasons = Arrays.copyOf(reasons, size);
    calledTool = Arrays.copyOf(calledTool, size);
  }

  private void writeFinishReasons() {
    facts.response.finishReasons.clear();
    for (int i = 0; i < reasons.length; i++) {
      if (reasons[i] != null) facts.response.addFinishReason(finishReason(reasons[i], calledTool[i]));
    }
  }

  /** The conventions' finish reason for Gemini's (see the class comment). */
  static String finishReason(String gemini, boolean calledTool) {
    switch (gemini) {
      case "STOP":
        return calledTool ? "tool_call" : "stop";
      case "MAX_TOKENS":
        return "length";
      case "SAFETY":
      case "RECITATION":
      case "BLOCKLIST":
      case "PROHIBITED_CONTENT":
      case "SPII":
      case "IMAGE_SAFETY":
      case "IMAGE_PROHIBITED_CONTENT":
        return "content_filter";
      default:
        return gemini.toLowerCase(Locale.ROOT);
    }
  }

  /** Token counts of a {@code usageMetadata} object; counts absent there keep their earlier values. */
  void applyUsage(JsonValue usage) {
    if (!usage.isObject()) return;
    prompt = count(usage, "promptTokenCount", prompt);
    toolUsePrompt = count(usage, "toolUsePromptTokenCount", toolUsePrompt);
    candidates = count(usage, "candidatesTokenCount", candidates);
    thoughts = count(usage, "thoughtsTokenCount", thoughts);
    cached = count(usage, "cachedContentTokenCount", cached);
    if (prompt >= 0 || toolUsePrompt >= 0) {
      facts.usage.inputTokens = Math.max(0, prompt) + Math.max(0, toolUsePrompt);
    }
    if (candidates >= 0 || thoughts >= 0) facts.usage.outputTokens = Math.max(0, candidates) + Math.max(0, thoughts);
    facts.usage.cacheReadTokens = cached;
    facts.usage.reasoningTokens = thoughts;
  }

  private static long count(JsonValue usage, String field, long earlier) {
    long n = usage.path(field).asLong(-1);
    return n >= 0 ? n : earlier;
  }

  /** A blocked prompt: finish reason content_filter, error {@value #PROMPT_BLOCKED} (see the class comment). */
  private void applyPromptFeedback(JsonValue feedback) {
    String reason = feedback.path("blockReason").asNonEmptyText();
    if (reason == null || blocked) return;
    blocked = true;
    if (finished == 0) facts.response.addFinishReason("content_filter");
    facts.response.errorType = PROMPT_BLOCKED;
    String message = feedback.path("blockReasonMessage").asNonEmptyText();
    facts.response.errorMessage = cut(message == null ? reason : reason + ": " + message);
  }

  /** An embedContent ({@code embedding.values}) or batchEmbedContents ({@code embeddings[0].values}) response. */
  void applyEmbeddings(JsonValue body) {
    JsonValue values = body.path("embedding").path("values");
    if (!values.isArray()) values = body.path("embeddings").get(0).path("values");
    if (values.isArray()) facts.response.embeddingDimensions = values.size();
    applyUsage(body.path("usageMetadata"));
  }

  /**
   * The error a body describes ({@code {"error": {"code", "message", "status"}}}, or a list holding one), if any.
   *
   * @param fallbackType the error type when the error names no status; null keeps the one the HTTP status gave
   * @return whether the body carried an error
   */
  static boolean applyError(JsonValue body, CallFacts facts, String fallbackType) {
    if (body == null) return false;
    if (body.isArray()) body = body.get(0);
    JsonValue error = body.path("error");
    if (!error.isObject()) return false;
    String type = error.path("status").asNonEmptyText();
    if (type == null) type = fallbackType;
    if (type != null || facts.response.errorType == null) facts.response.errorType = type != null ? type : "error";
    String message = error.path("message").asNonEmptyText();
    if (message != null) facts.response.errorMessage = cut(message);
    return true;
  }

  static String cut(String message) {
    return message.length() <= GeminiLimits.MAX_ERROR_MESSAGE_CHARS ? message
        : message.substring(0, GeminiLimits.MAX_ERROR_MESSAGE_CHARS);
  }
}
