package dev.llmotel.dialect.openaiaudio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartFieldsTest {
  static final String BOUNDARY = "----llmotel7MA4YWxkTrZu0gW";

  /** A form as clients write it: fields around a file part whose bytes hold delimiter look-alikes. */
  static byte[] form(byte[] audio, String... fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"turn.wav\"\r\n"
        + "Content-Type: audio/wav\r\n\r\n");
    out.write(audio, 0, audio.length);
    for (int i = 0; i < fields.length; i += 2) {
      write(out, "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + fields[i] + "\"\r\n"
          + "Content-Length: " + fields[i + 1].length() + "\r\n\r\n" + fields[i + 1]);
    }
    write(out, "\r\n--" + BOUNDARY + "--\r\n");
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
  }

  static byte[] trickyAudio() {
    String tricky = "RIFF\r\n--" + BOUNDARY.substring(0, 10) + "x\r\n\r\n--" + BOUNDARY.substring(0, 20)
        + "\r\r\n\r\n--\r\n-";
    byte[] noise = new byte[3000];
    new Random(7).nextBytes(noise);
    byte[] t = tricky.getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[t.length + noise.length];
    System.arraycopy(t, 0, all, 0, t.length);
    System.arraycopy(noise, 0, all, t.length, noise.length);
    return all;
  }

  private static Map<String, String> parse(String boundary, byte[] body, int piece) {
    MultipartFields f = new MultipartFields(boundary, 256, "model", "language", "stream");
    for (int at = 0; at < body.length; at += piece) {
      byte[] copy = java.util.Arrays.copyOfRange(body, at, Math.min(body.length, at + piece));
      f.feed(copy, 0, copy.length);
    }
    return f.fields();
  }

  @Test
  void readsTheWantedFieldsAtEverySplitWithOrWithoutTheContentType() {
    byte[] body = form(trickyAudio(), "model", "gpt-4o-mini-transcribe", "language", "en", "prompt", "ignored",
        "stream", "true");
    for (int piece : new int[] {1, 2, 3, 7, 64, 1000, body.length}) {
      for (String boundary : new String[] {BOUNDARY, null}) {
        Map<String, String> fields = parse(boundary, body, piece);
        assertEquals("gpt-4o-mini-transcribe", fields.get("model"), "piece " + piece);
        assertEquals("en", fields.get("language"));
        assertEquals("true", fields.get("stream"));
        assertEquals(3, fields.size());
      }
    }
  }

  @Test
  void aFileNamedLikeAWantedFieldIsNotKept() {
    String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"model\"; filename=\"m.bin\"\r\n\r\n"
        + "secret-bytes\r\n--" + BOUNDARY + "--\r\n";
    assertTrue(parse(BOUNDARY, body.getBytes(StandardCharsets.UTF_8), 5).isEmpty());
  }

  @Test
  void aTooLongValueIsDroppedAndTheBoundaryComesFromTheContentType() {
    StringBuilder longValue = new StringBuilder();
    for (int i = 0; i < 300; i++) longValue.append('m');
    byte[] body = form(new byte[10], "model", longValue.toString(), "language", "de");
    Map<String, String> fields = parse(MultipartFields.boundary("multipart/form-data; boundary=\"" + BOUNDARY + "\""),
        body, 13);
    assertNull(fields.get("model"));
    assertEquals("de", fields.get("language"));
    assertEquals(BOUNDARY, MultipartFields.boundary("multipart/form-data; boundary=" + BOUNDARY + "; charset=x"));
    assertNull(MultipartFields.boundary("application/json"));
    assertNull(MultipartFields.boundary(null));
  }

  @Test
  void garbageTruncationAndHugeHeadersFindNothingAndNeverThrow() {
    assertTrue(parse(null, "not a form at all\r\nmodel=x".getBytes(StandardCharsets.UTF_8), 3).isEmpty());
    assertTrue(parse(BOUNDARY, new byte[0], 1).isEmpty());
    byte[] body = form(new byte[10], "model", "whisper-1");
    // cut inside the model's value: no end delimiter, no field
    assertTrue(parse(BOUNDARY, java.util.Arrays.copyOf(body, body.length - BOUNDARY.length() - 8), 4).isEmpty());
    StringBuilder huge = new StringBuilder("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"model\"\r\n");
    for (int i = 0; i < 400; i++) huge.append("X-Padding: 0123456789\r\n");
    huge.append("\r\nwhisper-1\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"language\"\r\n\r\nfr\r\n--"
        + BOUNDARY + "--");
    Map<String, String> fields = parse(BOUNDARY, huge.toString().getBytes(StandardCharsets.UTF_8), 100);
    assertNull(fields.get("model"), "a part with oversized headers is skipped");
    assertEquals("fr", fields.get("language"));
  }
}
