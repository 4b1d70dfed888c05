package dev.llmotel.dialect.openaiaudio;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.exchange.StreamOutcome;
import dev.llmotel.testkit.dialect.SessionRuns;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiAudioDialectTest {
  static final String JSON = "application/json";
  static final String SSE = "text/event-stream";

  static DialectSession open(String path, String requestContentType) {
    HeaderLookup headers = name -> name.equalsIgnoreCase("content-type") ? requestContentType : null;
    return new OpenAiAudioDialect().open(new ExchangeRequest("POST", "https", "api.openai.com", 443, path, null,
        headers), DialectContext.defaults());
  }

  static CallFacts transcribe(byte[] form, int status, String contentType, String response, int piece,
      boolean complete) {
    DialectSession s = open("/v1/audio/transcriptions", "multipart/form-data; boundary=" + MultipartFieldsTest.BOUNDARY);
    HeaderLookup headers = name -> name.equalsIgnoreCase("content-type") ? contentType : null;
    return SessionRuns.run(s, form, status, headers, response.getBytes(StandardCharsets.UTF_8), piece, complete);
  }

  @Test
  void opensOnTheAudioRoutesOnly() {
    assertNotNull(open("/v1/audio/transcriptions", null));
    assertNotNull(open("/audio/translations/", null));
    assertNotNull(open("/openai/deployments/tts/audio/speech", null));
    assertNull(open("/v1/chat/completions", null));
    assertNull(open("/v1/audio/voices", null));
    assertNull(new OpenAiAudioDialect().open(new ExchangeRequest("GET", "https", "api.openai.com", 443,
        "/v1/audio/speech", null, HeaderLookup.NONE), DialectContext.defaults()));
  }

  @Test
  void aTranscriptionWithTokenUsage() {
    byte[] form = MultipartFieldsTest.form(MultipartFieldsTest.trickyAudio(), "model", "gpt-4o-mini-transcribe",
        "language", "en", "response_format", "json");
    String response = "{\"text\":\"Hello there, what's the weather?\",\"usage\":{\"type\":\"tokens\",\"input_tokens\":"
        + "14,\"input_token_details\":{\"text_tokens\":0,\"audio_tokens\":14},\"output_tokens\":9,\"total_tokens\":23}}";
    for (int piece : new int[] {1, 5, 4096}) {
      CallFacts f = transcribe(form, 200, JSON, response, piece, true);
      assertEquals("transcription", f.request.operationName);
      assertEquals("openai", f.request.providerName);
      assertEquals("gpt-4o-mini-transcribe", f.request.model);
      assertEquals("text", f.request.outputType);
      assertEquals(14, f.usage.inputTokens);
      assertEquals(9, f.usage.outputTokens);
      assertEquals("en", f.response.extra().get("llmotel.audio.language"));
      assertEquals("json", f.response.extra().get("llmotel.audio.format"));
      assertFalse(f.stream.streamed);
      assertNull(f.response.errorType);
    }
  }

  @Test
  void aVerboseTranscriptionGivesDurationAndTheDetectedLanguage() {
    byte[] form = MultipartFieldsTest.form(new byte[100], "model", "whisper-1", "response_format", "verbose_json");
    String response = "{\"task\":\"transcribe\",\"language\":\"english\",\"duration\":8.47,\"text\":\"Hi\","
        + "\"segments\":[{\"id\":0,\"text\":\"Hi\",\"tokens\":[1,2,3]}],\"usage\":{\"type\":\"duration\",\"seconds\":9}}";
    CallFacts f = transcribe(form, 200, JSON, response, 7, true);
    assertEquals("whisper-1", f.request.model);
    assertEquals(8.47, f.response.extra().get("llmotel.audio.duration"));
    assertEquals("english", f.response.extra().get("llmotel.audio.language"));
    assertEquals(-1, f.usage.inputTokens);
  }

  @Test
  void aStreamedTranscriptionEndsAtDoneWithUsage() {
    byte[] form = MultipartFieldsTest.form(new byte[100], "model", "gpt-4o-transcribe", "stream", "true");
    String response = "data: {\"type\":\"transcript.text.delta\",\"delta\":\"Hel\"}\n\n"
        + "data: {\"type\":\"transcript.text.delta\",\"delta\":\"lo\"}\n\n"
        + "data: {\"type\":\"transcript.text.done\",\"text\":\"Hello\",\"usage\":{\"type\":\"tokens\","
        + "\"input_tokens\":20,\"output_tokens\":2,\"total_tokens\":22}}\n\n";
    for (int piece : new int[] {1, 9, 1000}) {
      CallFacts f = transcribe(form, 200, SSE, response, piece, true);
      assertTrue(f.stream.streamed);
      assertEquals(2, f.stream.chunkCount);
      assertTrue(f.stream.endMarked());
      assertEquals(StreamOutcome.COMPLETED, f.stream.outcome);
      assertEquals(20, f.usage.inputTokens);
      assertEquals(2, f.usage.outputTokens);
    }
    CallFacts cut = transcribe(form, 200, SSE, response.substring(0, 60), 9, true);
    assertEquals(StreamOutcome.TRUNCATED, cut.stream.outcome);
    assertEquals("stream_truncated", cut.response.errorType);
  }

  @Test
  void anErrorBodyAndMalformedAnswersDegradeOnly() {
    byte[] form = MultipartFieldsTest.form(new byte[10], "model", "whisper-1");
    CallFacts f = transcribe(form, 400, JSON, "{\"error\":{\"message\":\"Invalid file format.\",\"type\":"
        + "\"invalid_request_error\",\"param\":\"file\",\"code\":null}}", 3, true);
    assertEquals("invalid_request_error", f.response.errorType);
    assertEquals("Invalid file format.", f.response.errorMessage);
    CallFacts text = transcribe(form, 200, "text/plain; charset=utf-8", "Hello there.", 3, true);
    assertNull(text.response.errorType);
    assertEquals("whisper-1", text.request.model);
    CallFacts garbage = transcribe(form, 200, JSON, "{\"text\":\"Hel", 3, true);
    assertNull(garbage.response.errorType);
    assertEquals(-1, garbage.usage.inputTokens);
    CallFacts notAForm = transcribe("{\"model\":\"x\"}".getBytes(StandardCharsets.UTF_8), 200, JSON,
        "{\"text\":\"x\"}", 2, true);
    assertNull(notAForm.request.model);
  }

  @Test
  void aHugeUploadIsScannedWithoutKeepingItAndItsFieldsAfterTheFileAreFound() {
    DialectSession s = open("/v1/audio/translations", null);
    byte[] head = ("--" + MultipartFieldsTest.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; "
        + "filename=\"a.mp3\"\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    s.onRequestBody(head, 0, head.length);
    byte[] audio = new byte[1 << 20];
    java.util.Arrays.fill(audio, (byte) '-');
    for (int i = 0; i < 40; i++) s.onRequestBody(audio, 0, audio.length); // 40 MiB of dashes
    byte[] tail = ("\r\n--" + MultipartFieldsTest.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"model\""
        + "\r\n\r\nwhisper-1\r\n--" + MultipartFieldsTest.BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
    s.onRequestBody(tail, 0, tail.length);
    s.onRequestBodyEnd();
    assertEquals("translation", s.facts().request.operationName);
    assertEquals("whisper-1", s.facts().request.model);
  }

  static CallFacts speak(String request, int status, String contentType, byte[] response, int piece,
      boolean complete) {
    DialectSession s = open("/v1/audio/speech", JSON);
    HeaderLookup headers = name -> name.equalsIgnoreCase("content-type") ? contentType : null;
    return SessionRuns.run(s, request.getBytes(StandardCharsets.UTF_8), status, headers, response, piece, complete);
  }

  @Test
  void speechCountsTheAudioAndTheInputWithoutKeepingEither() {
    String input = "Sunny, 21 degrees — enjoy your day! ☀";
    String request = "{\"model\":\"gpt-4o-mini-tts\",\"input\":\"" + input + "\",\"voice\":\"coral\","
        + "\"response_format\":\"mp3\",\"speed\":1.25}";
    byte[] audio = new byte[50_000];
    new java.util.Random(3).nextBytes(audio);
    for (int piece : new int[] {1, 777, 100_000}) {
      CallFacts f = speak(request, 200, "audio/mpeg", audio, piece, true);
      assertEquals("speech", f.request.operationName);
      assertEquals("gpt-4o-mini-tts", f.request.model);
      assertEquals("speech", f.request.outputType);
      assertEquals((long) input.length(), f.response.extra().get("llmotel.audio.input_characters"));
      assertEquals("coral", f.response.extra().get("llmotel.audio.voice"));
      assertEquals("mp3", f.response.extra().get("llmotel.audio.format"));
      assertEquals(1.25, f.response.extra().get("llmotel.audio.speed"));
      assertEquals(50_000L, f.response.extra().get("llmotel.audio.response_bytes"));
      assertTrue((Double) f.response.extra().get("llmotel.audio.time_to_first_byte") >= 0);
      assertFalse(f.stream.streamed, "binary audio is not an event stream");
      assertNull(f.stream.outcome);
      assertNull(f.response.errorType);
      assertFalse(f.response.extra().toString().contains("Sunny"), "the input text is never kept");
    }
  }

  @Test
  void hugeSpeechAudioIsOnlyCounted() {
    DialectSession s = open("/v1/audio/speech", JSON);
    byte[] request = "{\"model\":\"tts-1-hd\",\"input\":\"long story\",\"voice\":\"onyx\",\"response_format\":\"wav\"}"
        .getBytes(StandardCharsets.UTF_8);
    s.onRequestBody(request, 0, request.length);
    s.onRequestBodyEnd();
    s.onResponse(200, name -> name.equalsIgnoreCase("content-type") ? "audio/wav" : null);
    byte[] piece = new byte[1 << 20];
    java.util.Arrays.fill(piece, (byte) '{'); // looks like JSON: must not be parsed as such
    for (int i = 0; i < 200; i++) s.onResponseBody(piece, 0, piece.length); // 200 MiB
    s.onResponseEnd(true);
    assertEquals(200L << 20, s.facts().response.extra().get("llmotel.audio.response_bytes"));
    assertEquals("wav", s.facts().response.extra().get("llmotel.audio.format"));
    assertNull(s.facts().response.errorType);
  }

  @Test
  void speechAbandonedEarlyStillCountsWhatArrived() {
    CallFacts f = speak("{\"model\":\"tts-1\",\"input\":\"hi\",\"voice\":\"alloy\"}", 200, "audio/mpeg",
        new byte[1000], 100, false);
    assertEquals(1000L, f.response.extra().get("llmotel.audio.response_bytes"));
    assertNull(f.response.errorType);
  }

  @Test
  void speechOverSseEndsAtDoneWithUsage() {
    String response = "data: {\"type\":\"speech.audio.delta\",\"audio\":\"SUQzBAAAAAAA\"}\n\n"
        + "data: {\"type\":\"speech.audio.delta\",\"audio\":\"AAAAAAAAAAAA\"}\n\n"
        + "data: {\"type\":\"speech.audio.done\",\"usage\":{\"input_tokens\":12,\"output_tokens\":90,"
        + "\"total_tokens\":102}}\n\n";
    CallFacts f = speak("{\"model\":\"gpt-4o-mini-tts\",\"input\":\"Hello\",\"voice\":\"ash\",\"stream_format\":\"sse\"}",
        200, SSE, response.getBytes(StandardCharsets.UTF_8), 11, true);
    assertTrue(f.stream.streamed);
    assertEquals(2, f.stream.chunkCount);
    assertEquals(StreamOutcome.COMPLETED, f.stream.outcome);
    assertEquals(12, f.usage.inputTokens);
    assertEquals(90, f.usage.outputTokens);
  }

  @Test
  void speechErrorsAndMalformedRequests() {
    CallFacts f = speak("{\"model\":\"tts-1\",\"input\":\"\",\"voice\":\"nobody\"}", 400, JSON,
        "{\"error\":{\"message\":\"Invalid voice\",\"type\":\"invalid_request_error\",\"code\":\"invalid_value\"}}"
            .getBytes(StandardCharsets.UTF_8), 4, true);
    assertEquals("invalid_value", f.response.errorType);
    assertEquals("Invalid voice", f.response.errorMessage);
    assertNull(f.response.extra().get("llmotel.audio.response_bytes"));
    CallFacts truncated = speak("{\"model\":\"tts-1\",\"inp", 200, "audio/mpeg", new byte[10], 3, true);
    assertEquals("tts-1", truncated.request.model, "what the cut request gave is kept");
    assertEquals(10L, truncated.response.extra().get("llmotel.audio.response_bytes"));
  }
}
