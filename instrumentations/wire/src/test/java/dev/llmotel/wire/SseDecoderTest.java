package dev.llmotel.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseDecoderTest {
  /** Records what the decoder reports, as readable strings. */
  static final class Recorder implements SseDecoder.Listener {
    final List<String> events = new ArrayList<>();

    @Override
    public void onEvent(String event, byte[] data, int offset, int length) {
      events.add((event == null ? "" : event + "|") + new String(data, offset, length, StandardCharsets.UTF_8));
    }

    @Override
    public void onOversizedEvent(String event, long dataBytes) {
      events.add("OVERSIZED " + (event == null ? "" : event + "|") + dataBytes);
    }

    @Override
    public void onUnterminatedEvent(String event, byte[] data, int offset, int length) {
      events.add("UNTERMINATED " + new String(data, offset, length, StandardCharsets.UTF_8));
    }
  }

  static List<String> decodeWhole(String stream, int cap) {
    return decodeInPieces(stream.getBytes(StandardCharsets.UTF_8), cap, new int[] {Integer.MAX_VALUE});
  }

  static List<String> decodeByteByByte(String stream, int cap) {
    return decodeInPieces(stream.getBytes(StandardCharsets.UTF_8), cap, new int[] {1});
  }

  /** Feeds the bytes in pieces of the given sizes (cycled), each piece in a fresh array to catch stale references. */
  static List<String> decodeInPieces(byte[] bytes, int cap, int[] sizes) {
    Recorder r = new Recorder();
    SseDecoder d = new SseDecoder(cap, r);
    int pos = 0;
    int k = 0;
    while (pos < bytes.length) {
      int n = Math.min(sizes[k++ % sizes.length], bytes.length - pos);
      byte[] piece = new byte[n + 4];
      System.arraycopy(bytes, pos, piece, 2, n);
      d.feed(piece, 2, n);
      java.util.Arrays.fill(piece, (byte) 'X'); // the decoder must not keep references into our buffers
      pos += n;
    }
    d.end();
    return r.events;
  }

  private static void assertAllSplits(String stream, List<String> expected) {
    assertEquals(expected, decodeWhole(stream, 1 << 16), "whole");
    assertEquals(expected, decodeByteByByte(stream, 1 << 16), "byte by byte");
    Random random = new Random(42);
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    for (int round = 0; round < 50; round++) {
      int[] sizes = new int[7];
      for (int i = 0; i < sizes.length; i++) sizes[i] = 1 + random.nextInt(40);
      assertEquals(expected, decodeInPieces(bytes, 1 << 16, sizes), "random splits round " + round);
    }
  }

  @Test
  void openAiChunkStreamInAnySplit() {
    String stream = "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"
        + "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n"
        + "data: [DONE]\n\n";
    assertAllSplits(stream, List.of(
        "{\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}",
        "{\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}",
        "[DONE]"));
  }

  @Test
  void multiByteUtf8SplitAcrossFeedsComesOutWhole() {
    String stream = "data: h\u00e9llo \u4e16\u754c \uD83D\uDE00!\n\ndata: \u00fc\u00df\n\n";
    assertAllSplits(stream, List.of("h\u00e9llo \u4e16\u754c \uD83D\uDE00!", "\u00fc\u00df"));
  }

  @Test
  void lfCrAndCrlfLineEndings() {
    List<String> expected = List.of("a\nb", "c");
    assertAllSplits("data: a\ndata: b\n\ndata: c\n\n", expected);
    assertAllSplits("data: a\rdata: b\r\rdata: c\r\r", expected);
    assertAllSplits("data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n", expected);
    assertAllSplits("data: a\r\ndata: b\n\rdata: c\r\n\n", expected);
  }

  @Test
  void crAtEndOfOneFeedAndLfAtStartOfNextAreOneLineEnd() {
    Recorder r = new Recorder();
    SseDecoder d = new SseDecoder(1024, r);
    feed(d, "data: a\r");
    feed(d, "\ndata: b\r");
    feed(d, "\n\r");
    feed(d, "\n");
    d.end();
    // had the split CRLF counted twice, "a" would have been dispatched alone
    assertEquals(List.of("a\nb"), r.events);
  }

  @Test
  void lfAfterAnInterveningEmptyFeedStillPairsWithCr() {
    Recorder r = new Recorder();
    SseDecoder d = new SseDecoder(1024, r);
    feed(d, "data: a\r");
    d.feed(new byte[0], 0, 0);
    feed(d, "\ndata: b\n\n");
    d.end();
    assertEquals(List.of("a\nb"), r.events);
  }

  @Test
  void commentsKeepAlivesIdsAndRetriesAreIgnored() {
    String stream = ": keep-alive\n\n"
        + ":\n"
        + "id: 7\nretry: 1000\n\n"
        + ": OPENROUTER PROCESSING\n"
        + "id: 8\ndata: x\n: comment inside an event\ndata: y\n\n"
        + "unknown: field\ndata: z\n\n";
    assertAllSplits(stream, List.of("x\ny", "z"));
  }

  @Test
  void eventNamesApplyToOneEventOnly() {
    String stream = "event: message_start\ndata: {\"a\":1}\n\n"
        + "data: plain\n\n"
        + "event: ping\n\n" // no data: not dispatched, and the name does not leak
        + "data: after-ping\n\n"
        + "event:error\ndata:{}\n\n";
    assertAllSplits(stream, List.of("message_start|{\"a\":1}", "plain", "after-ping", "error|{}"));
  }

  @Test
  void fieldValueSpacing() {
    String stream = "data:x\n\n" + "data:  two spaces\n\n" + "data\n\n" + "data:\n\n" + "data: \n\n";
    assertAllSplits(stream, List.of("x", " two spaces", "", "", ""));
  }

  @Test
  void multiLineDataKeepsEmptyLinesBetween() {
    assertAllSplits("data: a\ndata:\ndata: c\n\n", List.of("a\n\nc"));
  }

  @Test
  void missingTrailingBlankLineIsReportedAsUnterminated() {
    assertAllSplits("data: one\n\ndata: [DONE]\n", List.of("one", "UNTERMINATED [DONE]"));
    assertAllSplits("data: one\n\ndata: [DONE]", List.of("one", "UNTERMINATED [DONE]"));
    assertAllSplits("data: one\n\n", List.of("one"));
    assertAllSplits("data: one\n\n: bye", List.of("one"));
  }

  @Test
  void leadingByteOrderMarkIsSkipped() {
    assertAllSplits("\uFEFFdata: a\n\n", List.of("a"));
  }

  @Test
  void oversizedEventIsSkippedAndDecodingGoesOn() {
    String big = "x".repeat(100);
    String stream = "data: small\n\n" + "data: " + big + "\n\n" + "data: 0123456789\ndata: 0123456789\n\n"
        + "event: e\ndata: " + big + "\n\n" + "data: after\n\n";
    List<String> expected = List.of("small", "OVERSIZED 100", "OVERSIZED 21", "OVERSIZED e|100", "after");
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    assertEquals(expected, decodeInPieces(bytes, 16, new int[] {Integer.MAX_VALUE}));
    assertEquals(expected, decodeInPieces(bytes, 16, new int[] {1}));
    assertEquals(expected, decodeInPieces(bytes, 16, new int[] {7, 13, 3}));
  }

  @Test
  void eventExactlyAtTheCapIsKept() {
    String sixteen = "0123456789abcdef";
    assertEquals(List.of(sixteen), decodeInPieces(("data: " + sixteen + "\n\n").getBytes(), 16, new int[] {1}));
    assertEquals(List.of(sixteen), decodeWhole("data: " + sixteen + "\n\n", 16));
  }

  @Test
  void hugeEventKeepsMemoryBounded() {
    Recorder r = new Recorder();
    SseDecoder d = new SseDecoder(1024, r);
    feed(d, "data: ");
    byte[] chunk = new byte[8192];
    java.util.Arrays.fill(chunk, (byte) 'a');
    for (int i = 0; i < 2000; i++) d.feed(chunk, 0, chunk.length); // 16 MB in one line
    feed(d, "\n\ndata: ok\n\n");
    d.end();
    assertEquals(2, r.events.size());
    assertTrue(r.events.get(0).startsWith("OVERSIZED"), r.events.get(0));
    assertEquals("ok", r.events.get(1));
  }

  private static void feed(SseDecoder d, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    d.feed(b, 0, b.length);
  }
}
