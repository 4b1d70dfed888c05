package dev.llmotel.it.app.voice;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.StreamResponse;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionStreamEvent;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.livekit.server.RoomServiceClient;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import livekit.LivekitModels;
import retrofit2.Response;

/**
 * One voice-agent turn, as a LiveKit-style agent does it, inside the app's own {@code voice_turn} span (OpenTelemetry
 * API only): the user's audio to text ({@code gpt-4o-mini-transcribe}, a multipart upload), the text to the LLM
 * ({@code sim-flaky}: answered 429 twice, the SDK retries), the answer to speech ({@code gpt-4o-mini-tts}, binary
 * audio read to its end and fingerprinted), and the room created through LiveKit's server API
 * ({@code RoomServiceClient.createRoom}, Twirp). Then, outside the turn, one streamed transcription
 * ({@code stream=true}), one LiveKit call that fails ({@code not_found}), a speech the app closes after its first
 * byte and a speech that fails (HTTP 500, no retries). Argument: the simulator's base URL, which
 * serves both the OpenAI and the LiveKit routes. stdout is identical with and without the agent.
 */
public final class VoiceApp {
  static final String OPENAI_KEY = "sk-test";
  static final String LIVEKIT_KEY = "APIvoiceTestKey";
  static final String LIVEKIT_SECRET = "lk-secret-do-not-export-0123456789abcdef";

  private VoiceApp() {}

  public static void main(String[] args) throws Exception {
    String base = args[0];
    Tracer tracer = GlobalOpenTelemetry.getTracer("voice-app");
    OpenAIClient openai = OpenAIOkHttpClient.builder().baseUrl(base + "/v1").apiKey(OPENAI_KEY).maxRetries(2).build();
    RoomServiceClient rooms = RoomServiceClient.createClient(base, LIVEKIT_KEY, LIVEKIT_SECRET);
    byte[] userAudio = userAudio();

    Span turn = tracer.spanBuilder("voice_turn").startSpan();
    try (Scope ignored = turn.makeCurrent()) {
      System.err.println("voice_turn trace id: " + turn.getSpanContext().getTraceId());
      String heard = openai.audio().transcriptions().create(TranscriptionCreateParams.builder()
          .file(userAudio).model("gpt-4o-mini-transcribe").language("en").build()).asTranscription().text();
      System.out.println("heard: " + heard);

      ChatCompletion completion = openai.chat().completions().create(ChatCompletionCreateParams.builder()
          .model("sim-flaky").addUserMessage(heard).build());
      String answer = completion.choices().get(0).message().content().orElse("");
      System.out.println("answer: " + answer);

      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long bytes = 0;
      try (HttpResponse speech = openai.audio().speech().create(SpeechCreateParams.builder()
          .model("gpt-4o-mini-tts").input(answer).voice("coral")
          .responseFormat(SpeechCreateParams.ResponseFormat.MP3).speed(1.25).build());
          InputStream audio = speech.body()) {
        byte[] buffer = new byte[4096];
        for (int n; (n = audio.read(buffer)) > 0; ) {
          sha.update(buffer, 0, n);
          bytes += n;
        }
      }
      System.out.println("speech: " + bytes + " bytes, sha256 " + HexFormat.of().formatHex(sha.digest()));

      Response<LivekitModels.Room> room = rooms.createRoom("voice-room-42").execute();
      System.out.println("room: " + room.code() + " " + room.body().getName() + " " + room.body().getSid());
    } finally {
      turn.end();
    }

    // outside the turn: a streamed transcription, a LiveKit call that fails
    StringBuilder streamed = new StringBuilder();
    try (StreamResponse<TranscriptionStreamEvent> events = openai.audio().transcriptions().createStreaming(
        TranscriptionCreateParams.builder().file(userAudio).model("gpt-4o-transcribe").build())) {
      events.stream().forEach(e -> e.transcriptTextDelta().ifPresent(d -> streamed.append(d.delta())));
    }
    System.out.println("streamed: " + streamed);
    Response<LivekitModels.Room> missing = rooms.createRoom("sim-missing").execute();
    System.out.println("missing room: " + missing.code());
    missing.errorBody().close();

    // speech the app stops listening to after its first bytes, and speech that fails (no retries)
    try (HttpResponse speech = openai.audio().speech().create(SpeechCreateParams.builder()
        .model("gpt-4o-mini-tts").input("Stop me.").voice("ash").build());
        InputStream audio = speech.body()) {
      System.out.println("interrupted speech: first byte " + audio.read());
    }
    OpenAIClient noRetries = openai.withOptions(o -> o.maxRetries(0));
    try {
      noRetries.audio().speech().create(SpeechCreateParams.builder().model("sim-500").input("Hi.").voice("ash")
          .build()).close();
      System.out.println("failed speech: no error?");
    } catch (RuntimeException e) {
      System.out.println("failed speech: " + e.getClass().getSimpleName());
    }

    openai.close();
    System.out.println("done");
  }

  /** A short silent WAV file (PCM 16 kHz mono): a RIFF header and 3,200 zero samples. */
  static byte[] userAudio() {
    int samples = 3200;
    int dataBytes = samples * 2;
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + dataBytes).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
        .putShort((short) 1).putShort((short) 1).putInt(16000).putInt(32000).putShort((short) 2)
        .putShort((short) 16).put("data".getBytes()).putInt(dataBytes);
    return b.array();
  }
}
