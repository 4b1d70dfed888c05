package dev.llmotel.benchmarks;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Realistic OpenAI Responses API payloads (a response object, a stream of named events), generated deterministically. */
final class OpenAiResponsesPayloads {
  static final String REQUEST = "{\"model\":\"gpt-4.1-mini\",\"stream\":true,\"temperature\":0.7,"
      + "\"max_output_tokens\":1024,\"instructions\":\"You are a helpful assistant.\","
      + "\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Write a long story about a"
      + " lighthouse.\"}]}]}";

  private static final String[] WORDS = {"the", " lighthouse", " keeper", " watched", " waves", ",", " and", " a",
      " storm", " rolled", " in", ".", " She", " lit", " lamp", " over", " sea", " \u00e9clair", " \u4e16\u754c",
      " night", " long", "\\n\\n", " \\\"quiet\\\"", " ships", " rocks", " light"};
  private static final String ID = "resp_68b0c4e2a1f88196a8c3d2e1f0b9a8c7d6e5f4a3b2c1d0e9";
  private static final String MSG = "msg_68b0c4e2f7d48196b2a1c0d9e8f7a6b5c4d3e2f1a0b9c8d7";

  private OpenAiResponsesPayloads() {}

  static String response(String status, String output, String usage) {
    return "{\"id\":\"" + ID + "\",\"object\":\"response\",\"created_at\":1756412130,\"status\":\"" + status + "\","
        + "\"background\":false,\"error\":null,\"incomplete_details\":null,\"instructions\":\"You are a helpful"
        + " assistant.\",\"max_output_tokens\":1024,\"max_tool_calls\":null,\"model\":\"gpt-4.1-mini-2025-04-14\","
        + "\"output\":" + output + ",\"parallel_tool_calls\":true,\"previous_response_id\":null,"
        + "\"prompt_cache_key\":null,\"reasoning\":{\"effort\":null,\"summary\":null},\"safety_identifier\":null,"
        + "\"service_tier\":\"default\",\"store\":true,\"temperature\":0.7,\"text\":{\"format\":{\"type\":\"text\"},"
        + "\"verbosity\":\"medium\"},\"tool_choice\":\"auto\",\"tools\":[],\"top_logprobs\":0,\"top_p\":1.0,"
        + "\"truncation\":\"disabled\",\"usage\":" + usage + ",\"user\":null,\"metadata\":{}}";
  }

  static String usage(long output) {
    return "{\"input_tokens\":27,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":" + output
        + ",\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":" + (27 + output) + "}";
  }

  static String message(String text) {
    return "[{\"id\":\"" + MSG + "\",\"type\":\"message\",\"status\":\"completed\",\"content\":[{\"type\":"
        + "\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"" + text + "\"}],\"role\":\"assistant\"}]";
  }

  /**
   * An SSE body as gpt-4.1-mini streams it, of at least {@code minBytes}: created, in progress, the message item,
   * one {@code response.output_text.delta} per one to three words, the done events and {@code response.completed}
   * with the whole text and the usage.
   */
  static byte[] eventStream(int minBytes) {
    Random random = new Random(7);
    ByteArrayOutputStream out = new ByteArrayOutputStream(minBytes * 2 + 4096);
    int seq = 0;
    String inProgress = response("in_progress", "[]", "null");
    write(out, "response.created", "{\"type\":\"response.created\",\"sequence_number\":" + seq++ + ",\"response\":"
        + inProgress + "}");
    write(out, "response.in_progress", "{\"type\":\"response.in_progress\",\"sequence_number\":" + seq++
        + ",\"response\":" + inProgress + "}");
    write(out, "response.output_item.added", "{\"type\":\"response.output_item.added\",\"sequence_number\":" + seq++
        + ",\"output_index\":0,\"item\":{\"id\":\"" + MSG + "\",\"type\":\"message\",\"status\":\"in_progress\","
        + "\"content\":[],\"role\":\"assistant\"}}");
    StringBuilder text = new StringBuilder();
    int deltas = 0;
    while (out.size() < minBytes) {
      StringBuilder delta = new StringBuilder();
      int words = 1 + random.nextInt(3);
      for (int i = 0; i < words; i++) delta.append(WORDS[random.nextInt(WORDS.length)]);
      text.append(delta);
      write(out, "response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"sequence_number\":" + seq++
          + ",\"item_id\":\"" + MSG + "\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + delta
          + "\",\"logprobs\":[],\"obfuscation\":\"" + "Xq7bT2kLm9".substring(0, 2 + random.nextInt(8)) + "\"}");
      deltas++;
    }
    write(out, "response.output_text.done", "{\"type\":\"response.output_text.done\",\"sequence_number\":" + seq++
        + ",\"item_id\":\"" + MSG + "\",\"output_index\":0,\"content_index\":0,\"text\":\"" + text
        + "\",\"logprobs\":[]}");
    write(out, "response.completed", "{\"type\":\"response.completed\",\"sequence_number\":" + seq + ",\"response\":"
        + response("completed", message(text.toString()), usage(deltas)) + "}");
    return out.toByteArray();
  }

  /** A non-streamed response whose message holds about {@code textChars} characters. */
  static byte[] response(int textChars) {
    Random random = new Random(11);
    StringBuilder text = new StringBuilder();
    while (text.length() < textChars) text.append(WORDS[random.nextInt(WORDS.length)]);
    return response("completed", message(text.toString()), usage(10)).getBytes(StandardCharsets.UTF_8);
  }

  private static void write(ByteArrayOutputStream out, String event, String data) {
    byte[] b = ("event: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
  }
}
