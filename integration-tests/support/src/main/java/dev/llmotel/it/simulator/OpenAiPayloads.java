package dev.llmotel.it.simulator;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The simulator's scripted OpenAI wire payloads (chat completion, chunks, embeddings, errors), modelled on real
 * responses and fully deterministic: no timestamps or ids that change, so an app's printed output is comparable
 * between runs. The numbers tests assert on are public constants.
 */
public final class OpenAiPayloads {
  public static final String CHAT_MODEL = "gpt-4o-mini";
  public static final String CHAT_RESPONSE_MODEL = "gpt-4o-mini-2024-07-18";
  public static final String RESPONSE_ID = "chatcmpl-sim-1";
  public static final String CONTENT = "Hello from the simulator.";
  /** The content split over the three content chunks of a stream. */
  public static final List<String> CONTENT_PIECES = List.of("Hello", " from the", " simulator.");
  public static final String SYSTEM_FINGERPRINT = "fp_sim";
  public static final long PROMPT_TOKENS = 11;
  public static final long COMPLETION_TOKENS = 7;
  public static final long TOTAL_TOKENS = 18;
  public static final long CACHED_TOKENS = 3;
  public static final long REASONING_TOKENS = 2;

  public static final String EMBEDDING_MODEL = "text-embedding-3-small";
  public static final int EMBEDDING_DIMENSIONS = 8;
  public static final long EMBEDDING_PROMPT_TOKENS = 5;

  /** A fixed {@code created} timestamp, so bodies are byte-identical between runs. */
  static final long CREATED = 1_735_689_600L;

  private OpenAiPayloads() {}

  static String usageJson() {
    return "{\"prompt_tokens\":" + PROMPT_TOKENS + ",\"completion_tokens\":" + COMPLETION_TOKENS
        + ",\"total_tokens\":" + TOTAL_TOKENS
        + ",\"prompt_tokens_details\":{\"cached_tokens\":" + CACHED_TOKENS + ",\"audio_tokens\":0}"
        + ",\"completion_tokens_details\":{\"reasoning_tokens\":" + REASONING_TOKENS
        + ",\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}";
  }

  /** The non-streamed {@code chat.completion} for {@code model} (the response names the dated model). */
  static String chatCompletion(String responseModel) {
    return "{\"id\":\"" + RESPONSE_ID + "\",\"object\":\"chat.completion\",\"created\":" + CREATED
        + ",\"model\":\"" + responseModel + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\"" + CONTENT + "\",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,"
        + "\"finish_reason\":\"stop\"}],\"usage\":" + usageJson()
        + ",\"service_tier\":\"default\",\"system_fingerprint\":\"" + SYSTEM_FINGERPRINT + "\"}";
  }

  /** The head of a completion whose content is supplied separately (see {@link HugeCompletionBody}). */
  static String completionHeadBeforeContent(String id, String responseModel) {
    return "{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":" + CREATED + ",\"model\":\""
        + responseModel + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"";
  }

  static String completionTailAfterContent(long completionTokens) {
    return "\",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":" + PROMPT_TOKENS + ",\"completion_tokens\":" + completionTokens
        + ",\"total_tokens\":" + (PROMPT_TOKENS + completionTokens) + "},\"service_tier\":\"default\","
        + "\"system_fingerprint\":\"" + SYSTEM_FINGERPRINT + "\"}";
  }

  /**
   * The {@code chat.completion.chunk} objects of a complete stream: a role chunk, one chunk per content piece, a
   * finish chunk, and with {@code includeUsage} a last chunk with {@code choices: []} and the usage.
   */
  static List<String> chunks(String responseModel, List<String> pieces, boolean includeUsage) {
    List<String> out = new ArrayList<>();
    String usageNull = includeUsage ? ",\"usage\":null" : "";
    out.add(chunk(responseModel, "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", "null", usageNull));
    for (String piece : pieces) out.add(chunk(responseModel, "{\"content\":\"" + piece + "\"}", "null", usageNull));
    out.add(chunk(responseModel, "{}", "\"stop\"", usageNull));
    if (includeUsage) {
      out.add("{\"id\":\"" + RESPONSE_ID + "\",\"object\":\"chat.completion.chunk\",\"created\":" + CREATED
          + ",\"model\":\"" + responseModel + "\",\"service_tier\":\"default\",\"system_fingerprint\":\""
          + SYSTEM_FINGERPRINT + "\",\"choices\":[],\"usage\":" + usageJson() + "}");
    }
    return out;
  }

  /** Content chunks only (the first also carries the role): what a stream cut short sends. */
  static List<String> contentChunks(String responseModel, List<String> pieces) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      String role = i == 0 ? "\"role\":\"assistant\"," : "";
      out.add(chunk(responseModel, "{" + role + "\"content\":\"" + pieces.get(i) + "\"}", "null", ""));
    }
    return out;
  }

  private static String chunk(String responseModel, String delta, String finishReason, String usage) {
    return "{\"id\":\"" + RESPONSE_ID + "\",\"object\":\"chat.completion.chunk\",\"created\":" + CREATED
        + ",\"model\":\"" + responseModel + "\",\"service_tier\":\"default\",\"system_fingerprint\":\""
        + SYSTEM_FINGERPRINT + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,"
        + "\"finish_reason\":" + finishReason + "}]" + usage + "}";
  }

  /** The embeddings response: one 8-dimension vector per input, as floats or as base64 little-endian float32. */
  static String embeddings(int inputs, boolean base64) {
    StringBuilder sb = new StringBuilder("{\"object\":\"list\",\"data\":[");
    for (int i = 0; i < inputs; i++) {
      if (i > 0) sb.append(',');
      sb.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":");
      float[] vector = vector(i);
      if (base64) {
        ByteBuffer buf = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vector) buf.putFloat(v);
        sb.append('"').append(Base64.getEncoder().encodeToString(buf.array())).append('"');
      } else {
        sb.append('[');
        for (int d = 0; d < vector.length; d++) sb.append(d > 0 ? "," : "").append(vector[d]);
        sb.append(']');
      }
      sb.append('}');
    }
    return sb.append("],\"model\":\"").append(EMBEDDING_MODEL).append("\",\"usage\":{\"prompt_tokens\":")
        .append(EMBEDDING_PROMPT_TOKENS).append(",\"total_tokens\":").append(EMBEDDING_PROMPT_TOKENS).append("}}")
        .toString();
  }

  /** Exactly representable values, so float and base64 encodings decode to the same numbers. */
  static float[] vector(int input) {
    float[] v = new float[EMBEDDING_DIMENSIONS];
    for (int d = 0; d < v.length; d++) v[d] = (d + 1) / 16f - input / 8f;
    return v;
  }

  static String error(String message, String type, String code) {
    return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"code\":"
        + (code == null ? "null" : "\"" + code + "\"") + "}}";
  }
}
