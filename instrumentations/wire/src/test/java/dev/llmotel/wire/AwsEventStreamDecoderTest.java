package dev.llmotel.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class AwsEventStreamDecoderTest {
  /** Encodes one message as AWS does: string headers, then the payload, with both checksums. */
  static byte[] message(byte[] payload, String... headerPairs) {
    ByteArrayOutputStream headers = new ByteArrayOutputStream();
    for (int i = 0; i < headerPairs.length; i += 2) {
      byte[] name = headerPairs[i].getBytes(StandardCharsets.UTF_8);
      byte[] value = headerPairs[i + 1].getBytes(StandardCharsets.UTF_8);
      headers.write(name.length);
      headers.write(name, 0, name.length);
      headers.write(7);
      headers.write(value.length >> 8);
      headers.write(value.length & 0xFF);
      headers.write(value, 0, value.length);
    }
    return frame(headers.toByteArray(), payload);
  }

  static byte[] frame(byte[] headers, byte[] payload) {
    int total = 16 + headers.length + payload.length;
    ByteBuffer b = ByteBuffer.allocate(total);
    b.putInt(total).putInt(headers.length);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 0, 8);
    b.putInt((int) crc.getValue());
    b.put(headers).put(payload);
    crc.reset();
    crc.update(b.array(), 0, total - 4);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  static byte[] event(String eventType, String json) {
    return message(json.getBytes(StandardCharsets.UTF_8), ":event-type", eventType, ":content-type",
        "application/json", ":message-type", "event");
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.write(p, 0, p.length);
    return out.toByteArray();
  }

  static final class Recorder implements AwsEventStreamDecoder.Listener {
    final List<String> events = new ArrayList<>();

    @Override
    public void onMessage(String messageType, String eventType, String exceptionType, byte[] payload, int offset,
        int length) {
      events.add(messageType + "/" + eventType + "/" + exceptionType + "|"
          + new String(payload, offset, length, StandardCharsets.UTF_8));
    }

    @Override
    public void onOversizedMessage(String messageType, String eventType, String exceptionType, long payloadBytes) {
      events.add("OVERSIZED " + messageType + "/" + eventType + "/" + exceptionType + "|" + payloadBytes);
    }

    @Override
    public void onCorruptMessage(String reason) {
      events.add("CORRUPT MESSAGE " + reason);
    }

    @Override
    public void onCorruptStream(String reason) {
      events.add("CORRUPT STREAM " + reason);
    }

    @Override
    public void onTruncated(long bytesOfMessage) {
      events.add("TRUNCATED " + bytesOfMessage);
    }
  }

  /** Feeds the bytes in pieces of the given sizes (cycled), each piece in a fresh array that is wiped afterwards. */
  static List<String> decode(byte[] bytes, int max, int[] sizes) {
    Recorder r = new Recorder();
    AwsEventStreamDecoder d = new AwsEventStreamDecoder(max, r);
    int pos = 0;
    int k = 0;
    while (pos < bytes.length) {
      int n = Math.min(sizes[k++ % sizes.length], bytes.length - pos);
      byte[] piece = new byte[n + 4];
      System.arraycopy(bytes, pos, piece, 2, n);
      d.feed(piece, 2, n);
      Arrays.fill(piece, (byte) 'X'); // the decoder must not keep references into our buffers
      pos += n;
    }
    d.end();
    return r.events;
  }

  static List<String> decodeWhole(byte[] bytes, int max) {
    return decode(bytes, max, new int[] {Integer.MAX_VALUE});
  }

  /** Whole, byte by byte, in two at every boundary, and in random pieces: always the same messages. */
  private static void assertAllSplits(byte[] stream, List<String> expected) {
    assertEquals(expected, decodeWhole(stream, 1 << 16), "whole");
    assertEquals(expected, decode(stream, 1 << 16, new int[] {1}), "byte by byte");
    for (int split = 1; split < stream.length; split++) {
      assertEquals(expected, decode(stream, 1 << 16, new int[] {split, Integer.MAX_VALUE}), "split at " + split);
    }
    Random random = new Random(7);
    for (int round = 0; round < 50; round++) {
      int[] sizes = new int[5];
      for (int i = 0; i < sizes.length; i++) sizes[i] = 1 + random.nextInt(60);
      assertEquals(expected, decode(stream, 1 << 16, sizes), "random round " + round);
    }
  }

  @Test
  void converseStreamEventsAtEverySplit() {
    byte[] stream = concat(
        event("messageStart", "{\"p\":\"abcd\",\"role\":\"assistant\"}"),
        event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hel\u00e9\"},\"p\":\"ab\"}"),
        event("messageStop", "{\"p\":\"abcdef\",\"stopReason\":\"end_turn\"}"),
        event("metadata", "{\"metrics\":{\"latencyMs\":312},\"usage\":{\"inputTokens\":9,\"outputTokens\":4}}"));
    assertAllSplits(stream, List.of(
        "event/messageStart/null|{\"p\":\"abcd\",\"role\":\"assistant\"}",
        "event/contentBlockDelta/null|{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hel\u00e9\"},\"p\":\"ab\"}",
        "event/messageStop/null|{\"p\":\"abcdef\",\"stopReason\":\"end_turn\"}",
        "event/metadata/null|{\"metrics\":{\"latencyMs\":312},\"usage\":{\"inputTokens\":9,\"outputTokens\":4}}"));
  }

  @Test
  void exceptionMessagesCarryTheirType() {
    byte[] stream = concat(
        event("chunk", "{\"bytes\":\"e30=\"}"),
        message("{\"message\":\"Too many requests\"}".getBytes(StandardCharsets.UTF_8),
            ":exception-type", "throttlingException", ":content-type", "application/json",
            ":message-type", "exception"),
        message(new byte[0], ":error-code", "InternalFailure", ":message-type", "error"));
    assertAllSplits(stream, List.of(
        "event/chunk/null|{\"bytes\":\"e30=\"}",
        "exception/null/throttlingException|{\"message\":\"Too many requests\"}",
        "error/null/InternalFailure|"));
  }

  @Test
  void otherHeaderTypesAreSteppedOver() {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    header(h, "flag", 0, new byte[0]);
    header(h, "off", 1, new byte[0]);
    header(h, "b", 2, new byte[] {5});
    header(h, "s", 3, new byte[2]);
    header(h, "i", 4, new byte[4]);
    header(h, "l", 5, new byte[8]);
    header(h, "bytes", 6, new byte[] {0, 3, 1, 2, 3});
    header(h, ":event-type", 7, new byte[] {0, 5, 'c', 'h', 'u', 'n', 'k'});
    header(h, "ts", 8, new byte[8]);
    header(h, "id", 9, new byte[16]);
    byte[] stream = frame(h.toByteArray(), "{}".getBytes(StandardCharsets.UTF_8));
    assertAllSplits(stream, List.of("null/chunk/null|{}"));
  }

  private static void header(ByteArrayOutputStream out, String name, int type, byte[] value) {
    out.write(name.length());
    out.write(name.getBytes(StandardCharsets.UTF_8), 0, name.length());
    out.write(type);
    out.write(value, 0, value.length);
  }

  @Test
  void aCorruptedMessageChecksumSkipsThatMessageOnly() {
    byte[] bad = event("contentBlockDelta", "{\"delta\":{\"text\":\"x\"}}");
    bad[bad.length - 10] ^= 0x20; // a payload byte: the prelude still holds, the message CRC does not
    byte[] stream = concat(event("messageStart", "{}"), bad, event("messageStop", "{}"));
    assertAllSplits(stream, List.of("event/messageStart/null|{}", "CORRUPT MESSAGE message checksum mismatch",
        "event/messageStop/null|{}"));
  }

  @Test
  void aCorruptedPreludeStopsDecoding() {
    byte[] bad = event("contentBlockDelta", "{}");
    bad[2] ^= 0x01; // the total length: the prelude CRC catches it, and the framing is lost
    byte[] stream = concat(event("messageStart", "{}"), bad, event("messageStop", "{}"));
    assertAllSplits(stream, List.of("event/messageStart/null|{}", "CORRUPT STREAM prelude checksum mismatch"));
  }

  @Test
  void impossibleLengthsWithAValidPreludeChecksumStopDecoding() {
    ByteBuffer b = ByteBuffer.allocate(12).putInt(10).putInt(0);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 0, 8);
    b.putInt((int) crc.getValue());
    assertEquals(List.of("CORRUPT STREAM impossible message length 10 with headers of 0"),
        decodeWhole(b.array(), 1024));
  }

  @Test
  void malformedHeadersSkipTheMessage() {
    byte[] stream = concat(frame(new byte[] {3, 'a', 'b', 'c', 42}, new byte[0]), event("x", "{}"));
    assertAllSplits(stream, List.of("CORRUPT MESSAGE malformed headers", "event/x/null|{}"));
  }

  @Test
  void aTruncatedFrameIsReportedAtTheEnd() {
    byte[] whole = event("metadata", "{\"usage\":{}}");
    for (int cut = 1; cut < whole.length; cut++) {
      byte[] stream = concat(event("messageStart", "{}"), Arrays.copyOf(whole, cut));
      assertEquals(List.of("event/messageStart/null|{}", "TRUNCATED " + cut), decodeWhole(stream, 1024),
          "cut at " + cut);
      assertEquals(List.of("event/messageStart/null|{}", "TRUNCATED " + cut), decode(stream, 1024, new int[] {1}),
          "cut at " + cut + ", byte by byte");
    }
    assertEquals(List.of(), decodeWhole(new byte[0], 1024));
  }

  @Test
  void aTwoMegabytePayloadOverTheLimitIsSkippedAndReportedWithBoundedMemory() {
    byte[] big = new byte[2 << 20];
    Arrays.fill(big, (byte) 'a');
    byte[] huge = message(big, ":event-type", "chunk", ":message-type", "event");
    byte[] stream = concat(event("messageStart", "{}"), huge, event("messageStop", "{\"stopReason\":\"end_turn\"}"));
    List<String> expected = List.of("event/messageStart/null|{}", "OVERSIZED event/chunk/null|" + big.length,
        "event/messageStop/null|{\"stopReason\":\"end_turn\"}");
    for (int piece : new int[] {Integer.MAX_VALUE, 1, 7, 8192, 65536}) {
      assertEquals(expected, decode(stream, 1 << 20, new int[] {piece}), "pieces of " + piece);
    }
    // the buffer never grew past the limit: only a message's headers are kept when it is over it
    Recorder r = new Recorder();
    AwsEventStreamDecoder d = new AwsEventStreamDecoder(1 << 20, r);
    for (int pos = 0; pos < stream.length; pos += 4096) d.feed(stream, pos, Math.min(4096, stream.length - pos));
    d.end();
    assertEquals(expected, r.events);
  }

  @Test
  void headersOverTheLimitAreNotKeptEither() {
    byte[] stream = concat(message("{}".getBytes(StandardCharsets.UTF_8), ":event-type", "x".repeat(200)),
        event("y", "{}"));
    assertEquals(List.of("OVERSIZED null/null/null|2", "event/y/null|{}"), decode(stream, 128, new int[] {1}));
    assertEquals(List.of("OVERSIZED null/null/null|2", "event/y/null|{}"), decodeWhole(stream, 128));
  }

  @Test
  void nothingIsReportedAfterACorruptStreamOrAfterEnd() {
    Recorder r = new Recorder();
    AwsEventStreamDecoder d = new AwsEventStreamDecoder(1024, r);
    byte[] ok = event("a", "{}");
    d.feed(ok, 0, ok.length);
    d.end();
    d.feed(ok, 0, ok.length);
    d.end();
    assertEquals(List.of("event/a/null|{}"), r.events);
    assertTrue(decodeWhole(new byte[12], 1024).get(0).startsWith("CORRUPT STREAM"));
  }
}
