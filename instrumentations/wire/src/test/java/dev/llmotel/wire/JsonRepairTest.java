package dev.llmotel.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Invalid UTF-8 inside strings and nesting past the parser's limit cost only themselves: the reader reads its
 * repaired copy (U+FFFD per maximal invalid subpart; too-deep containers emptied) and the fields after them, whole or
 * fed in any pieces, without writing to the caller's bytes.
 */
class JsonRepairTest {
  static final String R = "\ufffd";
  /** Lone continuation, C0 (overlong lead), AF, ED A0 80 (a surrogate), FF, C3 cut short by '('. */
  static final byte[] BAD = {'H', (byte) 0x80, (byte) 0xC0, (byte) 0xAF, (byte) 0xED, (byte) 0xA0, (byte) 0x80,
      (byte) 0xFF, (byte) 0xC3, '('};
  static final String BAD_READ = "H" + R.repeat(8) + "(";

  static byte[] concat(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      byte[] b = p instanceof byte[] ? (byte[]) p : ((String) p).getBytes(StandardCharsets.UTF_8);
      out.write(b, 0, b.length);
    }
    return out.toByteArray();
  }

  static byte[] chat(byte[] content, String filler) {
    return concat("{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"content\":\"", filler, content,
        "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7}}");
  }

  static JsonValue parse(byte[] b, JsonLimits limits) {
    byte[] copy = b.clone();
    JsonValue v = JsonTreeReader.parse(b, 0, b.length, limits);
    assertArrayEquals(copy, b, "the caller's bytes are never written to");
    return v;
  }

  static JsonValue feed(byte[] b, JsonLimits limits, int piece) {
    byte[] copy = b.clone();
    JsonValue v = JsonTreeReaderTest.feed(b, limits, piece);
    assertArrayEquals(copy, b);
    return v;
  }

  static void assertUsageAfter(JsonValue v, String what) {
    assertEquals(11, v.path("usage").path("prompt_tokens").asLong(-1), what);
    assertEquals(7, v.path("usage").path("completion_tokens").asLong(-1), what);
    assertEquals("stop", v.path("choices").get(0).path("finish_reason").asText(null), what);
    assertFalse(v.isTruncated(), what);
  }

  @Test
  void invalidUtf8InAStringBecomesReplacementCharactersAndTheUsageAfterItIsRead() {
    byte[] small = chat(BAD, "");
    byte[] large = chat(BAD, "x".repeat(JsonTreeReader.ONE_PASS_BYTES)); // read as it arrives
    for (byte[] b : new byte[][] {small, large}) {
      JsonValue whole = parse(b, JsonLimits.defaults());
      assertUsageAfter(whole, "whole");
      JsonValue content = whole.path("choices").get(0).path("message").path("content");
      assertEquals(b == small ? BAD_READ : "x".repeat(1024), content.asText(null));
      assertEquals(b.length - small.length + BAD_READ.length(), content.size());
      for (int piece : new int[] {1, 2, 3, 5, 7, 4096, b.length}) {
        JsonValue v = feed(b, JsonLimits.defaults(), piece);
        assertEquals(whole.toString(), v.toString(), "piece " + piece);
      }
    }
  }

  @Test
  void everySplitOfAnInvalidOrValidSequenceGivesTheSameTree() {
    byte[] mixed = concat(BAD, "\u00e9\u4e16\ud83d\ude00", new byte[] {(byte) 0xF0, (byte) 0x9F, '!', (byte) 0xE2,
        (byte) 0x82}, "\u20ac");
    byte[] b = chat(mixed, "");
    String expected = BAD_READ + "\u00e9\u4e16\ud83d\ude00" + R + "!" + R + "\u20ac";
    assertEquals(expected, parse(b, JsonLimits.defaults()).path("choices").get(0).path("message").path("content")
        .asText(null));
    for (int split = 0; split <= b.length; split++) {
      for (int second = split; second <= Math.min(b.length, split + 4); second++) {
        JsonTreeReader reader = new JsonTreeReader(JsonLimits.defaults());
        byte[] copy = b.clone();
        reader.feed(copy, 0, split);
        reader.feed(copy, split, second - split);
        reader.feed(copy, second, b.length - second);
        JsonValue v = reader.end();
        assertArrayEquals(b, copy);
        assertEquals(expected, v.path("choices").get(0).path("message").path("content").asText(null),
            "split at " + split + " and " + second);
        assertUsageAfter(v, "split at " + split + " and " + second);
      }
    }
  }

  @Test
  void invalidUtf8InAFieldNameLosesOnlyThatName() {
    byte[] b = concat("{\"k", new byte[] {(byte) 0xFF}, "\":1,\"after\":2}");
    for (JsonValue v : new JsonValue[] {parse(b, JsonLimits.defaults()), feed(b, JsonLimits.defaults(), 1)}) {
      assertEquals(1, v.path("k" + R).asLong(-1));
      assertEquals(2, v.path("after").asLong(-1));
    }
  }

  @Test
  void invalidBytesOutsideStringsStillStopTheDocument() {
    byte[] b = concat("{\"a\":1,", new byte[] {(byte) 0xFF}, "\"b\":2}");
    for (JsonValue v : new JsonValue[] {parse(b, JsonLimits.defaults()), feed(b, JsonLimits.defaults(), 1)}) {
      assertEquals(1, v.path("a").asLong(-1));
      assertTrue(v.path("b").isMissing());
      assertTrue(v.isTruncated());
    }
  }

  @Test
  void longCutStringsWithInvalidBytesStillCountAndKeepWhatFollows() {
    byte[] content = new byte[200_000];
    Arrays.fill(content, (byte) 'a');
    for (int i = 0; i < content.length; i += 997) content[i] = (byte) 0xFF;
    byte[] b = chat(content, "");
    for (JsonValue v : new JsonValue[] {parse(b, JsonLimits.defaults()), feed(b, JsonLimits.defaults(), 1000)}) {
      assertUsageAfter(v, "cut string");
      JsonValue text = v.path("choices").get(0).path("message").path("content");
      assertTrue(text.isTruncated());
      assertEquals(1024, text.asText(null).length());
    }
  }

  @Test
  void nestingTenThousandDeepIsSkippedAndTheFieldsAfterItAreRead() {
    for (int depth : new int[] {1_000, 1_001, 10_000, 1_000_000}) {
      String arrays = "[".repeat(depth) + "]".repeat(depth);
      // objects whose strings hold brackets and escaped quotes: skipped as text, not as structure
      String objects = "{\"a\\\"]}\":".repeat(depth) + "\"[{\\\"\"" + "}".repeat(depth);
      for (String deep : new String[] {arrays, objects}) {
        byte[] b = concat("{\"id\":\"x\",\"deep\":", deep, ",\"choices\":[{\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7}}");
        for (JsonValue v : new JsonValue[] {parse(b, JsonLimits.defaults()), feed(b, JsonLimits.defaults(), 4096),
            feed(b, JsonLimits.defaults(), 7)}) {
          String what = depth + " " + deep.charAt(0);
          assertUsageAfter(v, what);
          JsonValue summary = v.path("deep");
          for (int level = 1; level < JsonLimits.defaults().maxDepth(); level++) {
            summary = summary.isArray() ? summary.get(0) : summary.get(0);
          }
          assertTrue(summary.isTruncated(), what + ": the level past the tree's depth is a placeholder");
          assertEquals(1, summary.size(), what + ": counting its one element");
        }
      }
    }
  }

  @Test
  void theParserNeverSeesMoreLevelsThanTheLimitNorHalfASequence() {
    int limit = JsonTreeReader.maxParserDepth(JsonLimits.defaults());
    assertEquals(256, limit);
    JsonStringClipper clipper = new JsonStringClipper(1 << 20, limit);
    int[] depth = {0, 0};
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    JsonStringClipper.Output out = (bytes, start, end) -> {
      seen.write(bytes, start, end - start);
      for (int i = start; i < end; i++) {
        if (bytes[i] == '[') depth[1] = Math.max(depth[1], ++depth[0]);
        if (bytes[i] == ']') depth[0]--;
      }
    };
    byte[] b = concat("[\"", new byte[] {(byte) 0xE2, (byte) 0x82, (byte) 0xAC}, "\",", "[".repeat(100_000),
        "]".repeat(100_000), "]");
    for (int i = 0; i < b.length; i++) clipper.feed(b, i, 1, out); // one byte at a time
    assertEquals(limit + 1, depth[1], "the first level past the limit opens and closes empty");
    assertEquals(0, depth[0]);
    assertTrue(clipper.repaired());
    String expected = "[\"\u20ac\"," + "[".repeat(limit) + "]".repeat(limit) + "]";
    assertEquals(expected, new String(seen.toByteArray(), StandardCharsets.UTF_8));
  }

  @Test
  void validDocumentsPassUnchanged() {
    JsonStringClipper clipper = new JsonStringClipper(1 << 20, 256);
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    byte[] b = concat(JsonTreeReaderTest.CHAT);
    for (int i = 0; i < b.length; i += 3) {
      clipper.feed(b, i, Math.min(3, b.length - i), (bytes, start, end) -> seen.write(bytes, start, end - start));
    }
    assertArrayEquals(b, seen.toByteArray());
    assertFalse(clipper.repaired());
    assertNull(JsonTreeReader.parse(new byte[] {(byte) 0xFF}, 0, 1, JsonLimits.defaults()));
  }

  /** A long run of stray continuation bytes is cut like any long string: the parser's copy stays bounded. */
  @Test
  void strayContinuationBytesAreClippedLikeAnyLongString() {
    for (byte stray : new byte[] {(byte) 0x80, (byte) 0xBF}) {
      byte[] run = new byte[1 << 20];
      Arrays.fill(run, stray);
      byte[] doc = chat(run, "");
      for (int piece : new int[] {doc.length, 4096, 7}) {
        JsonStringClipper clipper = new JsonStringClipper(64);
        long[] written = {0};
        for (int at = 0; at < doc.length; at += piece) {
          clipper.feed(doc, at, Math.min(piece, doc.length - at), (b, start, end) -> written[0] += end - start);
        }
        assertTrue(written[0] < 1024, "parser's copy " + written[0] + " bytes for a 1 MiB string, piece " + piece);
        assertTrue(clipper.repaired());
      }
      JsonValue v = feed(doc, JsonLimits.defaults().withMaxStringChars(64), 8192);
      assertUsageAfter(v, "stray run then usage");
      String content = v.path("choices").get(0).path("message").path("content").asText("");
      assertTrue(content.length() < 1024 && content.startsWith(R), content.length() + " chars");
    }
  }
}
