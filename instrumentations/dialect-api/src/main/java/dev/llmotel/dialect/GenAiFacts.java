package dev.llmotel.dialect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a dialect learned about one LLM call, in GenAI semantic-convention terms but free of any telemetry API.
 * Fields stay null (or -1 for counts) when unknown; telemetry records only what is known. Not thread-safe: one
 * session writes it, telemetry reads it after the session has ended.
 */
public final class GenAiFacts {
  // request
  public String operationName;   // chat | embeddings | text_completion | generate_content | ...
  public String providerName;    // openai | anthropic | groq | ...
  public String requestModel;
  public Long maxTokens;
  public Double temperature;
  public Double topP;
  public Double topK;
  public Double frequencyPenalty;
  public Double presencePenalty;
  public Long seed;
  public Long choiceCount;
  public List<String> stopSequences;
  public List<String> encodingFormats;
  public String outputType;      // text | json | image | speech
  public boolean stream;

  // response
  public String responseId;
  public String responseModel;
  public final List<String> finishReasons = new ArrayList<>(2);
  public long inputTokens = -1;
  public long outputTokens = -1;
  public long cacheReadTokens = -1;
  public long cacheCreationTokens = -1;
  public long reasoningTokens = -1;
  public long embeddingDimensions = -1;
  public int httpStatus = -1;
  /** Cost in USD, from the price table or as a proxy reported it; null when unknown (never a guess). */
  public Double costUsd;
  /** Provider error code, HTTP status or exception class; null when the call succeeded. */
  public String errorType;
  public String errorMessage;

  // content, only when capture is on: JSON strings in the semantic conventions' shapes
  /** {@code gen_ai.input.messages}: [{role, parts:[{type:"text", content}...]}...] */
  public String inputMessagesJson;
  /** {@code gen_ai.output.messages}: [{role:"assistant", parts:[...], finish_reason}...], one per choice */
  public String outputMessagesJson;
  /** {@code gen_ai.system_instructions}: [{type:"text", content}...] */
  public String systemInstructionsJson;
  /** {@code gen_ai.tool.definitions}: the request's tools as sent */
  public String toolDefinitionsJson;

  // streaming
  public StreamOutcome streamOutcome;
  /** {@link System#nanoTime()} when the first streamed chunk (event or line) arrived; 0 when none did. */
  public long firstChunkNanos;
  public long lastChunkNanos;
  public int chunkCount;

  /** Provider-specific attributes (e.g. {@code openai.response.service_tier}): name to String, Long, Double or Boolean. */
  private Map<String, Object> extra = Collections.emptyMap();

  public void putExtra(String attribute, Object value) {
    if (value == null) return;
    if (extra.isEmpty()) extra = new LinkedHashMap<>();
    extra.put(attribute, value);
  }

  public Map<String, Object> extra() { return extra; }

  /**
   * {@link System#nanoTime()} at which the bytes now being parsed reached the application, when they are parsed later
   * (off the application's thread); 0 while parsing happens as the bytes arrive.
   */
  private long bytesArrivedNanos;

  /** The exchange tells when the bytes it is about to feed arrived; 0: they arrive now. */
  public void setBytesArrivedNanos(long nanoTime) {
    bytesArrivedNanos = nanoTime;
  }

  /** Records the arrival of one streamed chunk: when the bytes carrying it reached the application. */
  public void chunkArrived() {
    long now = bytesArrivedNanos != 0 ? bytesArrivedNanos : System.nanoTime();
    if (chunkCount++ == 0) firstChunkNanos = now;
    lastChunkNanos = now;
  }

  /** Time from {@code startNanoTime} to the first streamed chunk; -1 when the call did not stream or none came. */
  public long timeToFirstChunkNanos(long startNanoTime) {
    return stream && firstChunkNanos != 0 ? firstChunkNanos - startNanoTime : -1;
  }

  public void addFinishReason(String reason) {
    if (reason != null) finishReasons.add(reason);
  }
}
