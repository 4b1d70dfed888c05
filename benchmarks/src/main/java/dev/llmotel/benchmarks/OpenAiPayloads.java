package dev.llmotel.benchmarks;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Realistic OpenAI chat-completion payloads, generated deterministically. */
final class OpenAiPayloads {
  static final String REQUEST = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
      + "\"temperature\":0.7,\"max_completion_tokens\":1024,\"messages\":[{\"role\":\"system\",\"content\":"
      + "\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"Write a long story about a lighthouse.\"}]}";

  private static final String[] WORDS = {"the", " lighthouse", " keeper", " watched", " waves", ",", " and", " a",
      " storm", " rolled", " in", ".", " She", " lit", " lamp", " over", " sea", " \u00e9clair", " \u4e16\u754c",
      " night", " long", "\\n\\n", " \\\"quiet\\\"", " ships", " rocks", " light"};

  private OpenAiPayloads() {}

  /**
   * An SSE body of chat.completion.chunk events with one to three words of content each, as gpt-4o-mini streams
   * them, of at least {@code minBytes}, ending with a finish chunk, the include_usage chunk and [DONE].
   */
  static byte[] chunkStream(int minBytes) {
    Random random = new Random(7);
    ByteArrayOutputStream out = new ByteArrayOutputStream(minBytes + 4096);
    String prefix = "data: {\"id\":\"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG\",\"object\":\"chat.completion.chunk\","
        + "\"created\":1741570283,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\","
        + "\"system_fingerprint\":\"fp_06737a9306\",\"choices\":[{\"index\":0,\"delta\":{";
    write(out, prefix + "\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,"
        + "\"finish_reason\":null}],\"usage\":null}\n\n");
    int chunks = 0;
    while (out.size() < minBytes) {
      StringBuilder content = new StringBuilder();
      int words = 1 + random.nextInt(3);
      for (int i = 0; i < words; i++) content.append(WORDS[random.nextInt(WORDS.length)]);
      write(out, prefix + "\"content\":\"" + content + "\"},\"logprobs\":null,\"finish_reason\":null}],"
          + "\"usage\":null}\n\n");
      chunks++;
    }
    write(out, prefix + "},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
    write(out, "data: {\"id\":\"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG\",\"object\":\"chat.completion.chunk\","
        + "\"created\":1741570283,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\","
        + "\"system_fingerprint\":\"fp_06737a9306\",\"choices\":[],\"usage\":{\"prompt_tokens\":27,"
        + "\"completion_tokens\":" + chunks + ",\"total_tokens\":" + (27 + chunks) + ",\"prompt_tokens_details\":"
        + "{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,"
        + "\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}\n\n");
    write(out, "data: [DONE]\n\n");
    return out.toByteArray();
  }

  /** A non-streamed chat completion whose message holds about {@code contentChars} characters. */
  static byte[] chatCompletion(int contentChars) {
    Random random = new Random(11);
    StringBuilder content = new StringBuilder();
    while (content.length() < contentChars) content.append(WORDS[random.nextInt(WORDS.length)]);
    String body = "{\n  \"id\": \"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\",\n  \"object\": \"chat.completion\",\n"
        + "  \"created\": 1741569952,\n  \"model\": \"gpt-4o-2024-08-06\",\n  \"choices\": [\n    {\n"
        + "      \"index\": 0,\n      \"message\": {\n        \"role\": \"assistant\",\n        \"content\": \""
        + content + "\",\n        \"refusal\": null,\n        \"annotations\": []\n      },\n"
        + "      \"logprobs\": null,\n      \"finish_reason\": \"stop\"\n    }\n  ],\n  \"usage\": {\n"
        + "    \"prompt_tokens\": 19,\n    \"completion_tokens\": 10,\n    \"total_tokens\": 29,\n"
        + "    \"prompt_tokens_details\": {\"cached_tokens\": 0, \"audio_tokens\": 0},\n"
        + "    \"completion_tokens_details\": {\"reasoning_tokens\": 0, \"audio_tokens\": 0,"
        + " \"accepted_prediction_tokens\": 0, \"rejected_prediction_tokens\": 0}\n  },\n"
        + "  \"service_tier\": \"default\",\n  \"system_fingerprint\": \"fp_fc9f1d7035\"\n}\n";
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private static void write(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
  }
}
