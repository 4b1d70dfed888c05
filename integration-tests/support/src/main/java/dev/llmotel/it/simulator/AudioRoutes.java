package dev.llmotel.it.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenAI's audio routes:
 * <ul>
 *   <li>{@code POST /v1/audio/transcriptions} and {@code /v1/audio/translations} (multipart): {@code {text, usage}}
 *       with token usage ({@value #STT_INPUT_TOKENS} in, {@value #STT_OUTPUT_TOKENS} out); with the form field
 *       {@code stream=true} an SSE stream of {@code transcript.text.delta} events ({@link #TRANSCRIPT_PIECES}) and a
 *       {@code transcript.text.done} with the usage; model {@code sim-429}: a rate-limit error;</li>
 *   <li>{@code POST /v1/audio/speech}: {@value #SPEECH_BYTES} bytes of deterministic "audio" ({@link #speechAudio()},
 *       {@code audio/mpeg}), written in {@value #SPEECH_PIECES} flushed pieces; model {@code sim-500}: a server
 *       error.</li>
 * </ul>
 */
public final class AudioRoutes implements ProviderRoutes {
  public static final List<String> TRANSCRIPT_PIECES = List.of("What's", " the weather", " in Paris?");
  public static final String TRANSCRIPT = String.join("", TRANSCRIPT_PIECES);
  public static final long STT_INPUT_TOKENS = 42;
  public static final long STT_OUTPUT_TOKENS = 7;
  public static final int SPEECH_BYTES = 48_000;
  public static final int SPEECH_PIECES = 6;
  private static final Pattern FIELD = Pattern.compile(
      "Content-Disposition: form-data; name=\"([a-z_]+)\"\r\n(?:[^\r\n]+\r\n)*\r\n([^\r\n]*)\r\n");

  @Override
  public boolean handles(RecordedRequest request) {
    String p = request.path();
    return p.endsWith("/audio/transcriptions") || p.endsWith("/audio/translations") || p.endsWith("/audio/speech");
  }

  /** The deterministic speech audio every speech request gets. */
  public static byte[] speechAudio() {
    byte[] audio = new byte[SPEECH_BYTES];
    new Random(20261206).nextBytes(audio);
    audio[0] = 'I';
    audio[1] = 'D';
    audio[2] = '3';
    return audio;
  }

  /** Lower-case hex SHA-256 of {@link #speechAudio()}. */
  public static String speechAudioSha256() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(speechAudio()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A text field of a multipart form body (the simulator's view of it), or null. */
  public static String formField(String body, String name) {
    Matcher m = FIELD.matcher(body);
    while (m.find()) {
      if (m.group(1).equals(name)) return m.group(2);
    }
    return null;
  }

  @Override
  public void respond(HttpExchange exchange, RecordedRequest request, JsonNode body) throws IOException {
    if (request.path().endsWith("/audio/speech")) {
      String model = body == null ? "" : body.path("model").asText("");
      if (model.equals("sim-500")) {
        sendJson(exchange, request, 500, OpenAiPayloads.error("The server had an error", "server_error", null));
      } else {
        speech(exchange, request);
      }
      return;
    }
    String model = formField(request.body(), "model");
    if ("sim-429".equals(model)) {
      sendJson(exchange, request, 429, OpenAiPayloads.error("Rate limit reached", "requests", "rate_limit_exceeded"));
    } else if ("true".equals(formField(request.body(), "stream"))) {
      transcriptStream(exchange, request);
    } else {
      sendJson(exchange, request, 200, "{\"text\":\"" + TRANSCRIPT + "\",\"usage\":{\"type\":\"tokens\","
          + "\"input_tokens\":" + STT_INPUT_TOKENS + ",\"input_token_details\":{\"text_tokens\":0,\"audio_tokens\":"
          + STT_INPUT_TOKENS + "},\"output_tokens\":" + STT_OUTPUT_TOKENS + ",\"total_tokens\":"
          + (STT_INPUT_TOKENS + STT_OUTPUT_TOKENS) + "}}");
    }
  }

  private static void speech(HttpExchange exchange, RecordedRequest request) throws IOException {
    byte[] audio = speechAudio();
    exchange.getResponseHeaders().set("Content-Type", "audio/mpeg");
    request.status(200);
    exchange.sendResponseHeaders(200, 0); // chunked, as a real speech stream
    int piece = SPEECH_BYTES / SPEECH_PIECES;
    try (OutputStream out = exchange.getResponseBody()) {
      for (int at = 0; at < audio.length; at += piece) {
        out.write(audio, at, Math.min(piece, audio.length - at));
        out.flush();
        request.chunkSent();
      }
    }
    request.completed();
  }

  private static void transcriptStream(HttpExchange exchange, RecordedRequest request) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    request.status(200);
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      for (String piece : TRANSCRIPT_PIECES) {
        out.write(("data: {\"type\":\"transcript.text.delta\",\"delta\":\"" + piece + "\"}\n\n")
            .getBytes(StandardCharsets.UTF_8));
        out.flush();
        request.chunkSent();
      }
      out.write(("data: {\"type\":\"transcript.text.done\",\"text\":\"" + TRANSCRIPT + "\",\"usage\":{\"type\":"
          + "\"tokens\",\"input_tokens\":" + STT_INPUT_TOKENS + ",\"output_tokens\":" + STT_OUTPUT_TOKENS
          + ",\"total_tokens\":" + (STT_INPUT_TOKENS + STT_OUTPUT_TOKENS) + "}}\n\n").getBytes(StandardCharsets.UTF_8));
    }
    request.completed();
  }

  private static void sendJson(HttpExchange exchange, RecordedRequest request, int status, String json)
      throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    request.status(status);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    request.completed();
  }
}
