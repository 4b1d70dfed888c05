package dev.llmotel.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class JsonTreeReaderTest {
  static final String CHAT = "{\"id\":\"chatcmpl-9\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-2024-08-06\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi \u00e9\u4e16 \\\"q\\\" \\u00e9\"},"
      + "\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10,\"total_tokens\":29,"
      + "\"prompt_tokens_details\":{\"cached_tokens\":0}},\"temperature\":0.5,\"ok\":true,\"nothing\":null}";

  static JsonValue parse(String json, JsonLimits limits) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return JsonTreeReader.parse(b, 0, b.length, limits);
  }

  static JsonValue feed(String json, JsonLimits limits, int pieceSize) {
    return feed(json.getBytes(StandardCharsets.UTF_8), limits, pieceSize);
  }

  static JsonValue feed(byte[] b, JsonLimits limits, int pieceSize) {
    JsonTreeReader reader = new JsonTreeReader(limits);
    for (int pos = 0; pos < b.length; pos += pieceSize) {
      byte[] piece = Arrays.copyOfRange(b, pos, Math.min(b.length, pos + pieceSize));
      reader.feed(piece, 0, piece.length);
      Arrays.fill(piece, (byte) '!'); // the reader must not depend on our buffer afterwards
    }
    return reader.end();
  }

  @Test
  void readsADocumentWithNullSafeGetters() {
    JsonValue v = parse(CHAT, JsonLimits.defaults());
    assertEquals("chatcmpl-9", v.path("id").asText(null));
    assertEquals(19, v.path("usage").path("prompt_tokens").asLong(-1));
    assertEquals(0, v.path("usage").path("prompt_tokens_details").path("cached_tokens").asLong(-1));
    assertEquals(-1, v.path("usage").path("completion_tokens_details").path("reasoning_tokens").asLong(-1));
    assertEquals(-1, v.path("id").path("x").get(3).asLong(-1));
    assertEquals("stop", v.path("choices").get(0).path("finish_reason").asText(null));
    assertEquals("Hi \u00e9\u4e16 \"q\" \u00e9", v.path("choices").get(0).path("message").path("content").asText(null));
    assertEquals(0.5, v.path("temperature").asDouble(0), 0.0);
    assertEquals(-1, v.path("temperature").asLong(-1), "a fraction is not a long");
    assertTrue(v.path("ok").asBoolean(false));
    assertTrue(v.path("nothing").isNull());
    assertTrue(v.path("absent").isMissing());
    assertFalse(v.isTruncated());
    assertEquals(1, v.path("choices").size());
  }

  @Test
  void feedingInAnyPieceSizeGivesTheSameTree() {
    String expected = parse(CHAT, JsonLimits.defaults()).toString();
    for (int size : new int[] {1, 2, 3, 7, 64, 100000}) {
      assertEquals(expected, feed(CHAT, JsonLimits.defaults(), size).toString(), "piece " + size);
    }
  }

  @Test
  void documentsPastTheOnePassSizeAreReadAsTheyArriveIntoTheSameTree() {
    char[] pad = new char[JsonTreeReader.ONE_PASS_BYTES + 100];
    Arrays.fill(pad, 'p');
    String big = "{\"pad\":\"" + new String(pad) + "\"," + CHAT.substring(1);
    String expected = parse(big, JsonLimits.defaults()).toString();
    for (int size : new int[] {1000, 8192, JsonTreeReader.ONE_PASS_BYTES, 1 << 20}) {
      assertEquals(expected, feed(big, JsonLimits.defaults(), size).toString(), "piece " + size);
    }
    JsonValue cut = feed(big.substring(0, big.indexOf("\"usage\"") + 30), JsonLimits.defaults(), 4096);
    assertTrue(cut.isTruncated());
    assertEquals(19, cut.path("usage").path("prompt_tokens").asLong(-1));
    assertEquals(1, feed("{\"pad\":\"" + new String(pad) + "\",\"a\":1,,}", JsonLimits.defaults(), 4096)
        .path("a").asLong(-1));
  }

  @Test
  void aReaderThatHoldsNothingBackReadsEvenShortDocumentsAsTheyArriveIntoTheSameTree() {
    byte[] chat = CHAT.getBytes(StandardCharsets.UTF_8);
    String expected = parse(CHAT, JsonLimits.defaults()).toString();
    for (int size : new int[] {1, 3, 64, chat.length}) {
      JsonTreeReader reader = new JsonTreeReader(JsonLimits.defaults(), 0);
      for (int pos = 0; pos < chat.length; pos += size) {
        reader.feed(chat, pos, Math.min(size, chat.length - pos));
      }
      assertEquals(expected, reader.end().toString(), "piece " + size);
    }
    JsonTreeReader cut = new JsonTreeReader(JsonLimits.defaults(), 0);
    cut.feed(chat, 0, CHAT.indexOf("\"usage\"") + 30);
    assertTrue(cut.end().isTruncated());
  }

  /**
   * The piece that reaches the document limit is read up to the limit (before, the reader stopped first: a piece too
   * large for the one-pass head was dropped whole, and in the incremental path the kept part of the piece too).
   */
  @Test
  void thePieceThatReachesTheLimitIsReadUpToIt() {
    char[] pad = new char[70_000];
    Arrays.fill(pad, 'p');
    String doc = "{\"a\":1,\"pad\":\"" + new String(pad) + "\",\"b\":2,\"pad2\":\"" + new String(pad) + "\",\"c\":3}";
    byte[] b = doc.getBytes(StandardCharsets.UTF_8);
    JsonLimits limits = JsonLimits.defaults().withMaxDocumentBytes(100_000);

    JsonTreeReader whole = new JsonTreeReader(limits);
    whole.feed(b, 0, b.length); // one piece past the limit, larger than the one-pass head
    JsonValue one = whole.end();
    assertNotNull(one, "the bytes up to the limit");
    assertTrue(one.isTruncated());
    assertEquals(2, one.path("b").asLong(-1));
    assertEquals(-1, one.path("c").asLong(-1), "past the limit");

    JsonTreeReader pieces = new JsonTreeReader(limits);
    pieces.feed(b, 0, 60_000); // held in the head
    pieces.feed(b, 60_000, b.length - 60_000); // goes incremental and reaches the limit; "b" lies before it
    JsonValue two = pieces.end();
    assertTrue(two.isTruncated());
    assertEquals(1, two.path("a").asLong(-1));
    assertEquals(2, two.path("b").asLong(-1));
    assertEquals(-1, two.path("c").asLong(-1));
  }

  /** A number the limit cuts is not read as its first digits, on any path: it is dropped as the rest. */
  @Test
  void aNumberCutByTheLimitIsNotReadAsItsFirstDigits() {
    String doc = "{\"id\":\"x\",\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":7}}";
    byte[] b = doc.getBytes(StandardCharsets.UTF_8);
    int cut = doc.indexOf("19") + 1; // the limit falls between the 1 and the 9
    JsonLimits limits = JsonLimits.defaults().withMaxDocumentBytes(cut);
    JsonValue whole = JsonTreeReader.parse(b, 0, b.length, limits);
    JsonTreeReader head = new JsonTreeReader(limits);
    head.feed(b, 0, b.length);
    JsonTreeReader incremental = new JsonTreeReader(limits, 0);
    incremental.feed(b, 0, b.length);
    for (JsonValue v : new JsonValue[] {whole, head.end(), incremental.end()}) {
      assertNotNull(v);
      assertTrue(v.isTruncated());
      assertEquals("x", v.path("id").asText(null));
      assertEquals(-1, v.path("usage").path("prompt_tokens").asLong(-1), v.toString());
    }
    assertEquals(0, JsonTreeReader.beforeCutNumber("-12.5e+3".getBytes(StandardCharsets.UTF_8), 0, 8));
    assertEquals(5, JsonTreeReader.beforeCutNumber("[1,2,3".getBytes(StandardCharsets.UTF_8), 0, 6));
    assertEquals(5, JsonTreeReader.beforeCutNumber("[1,2]".getBytes(StandardCharsets.UTF_8), 0, 5));
  }

  /**
   * A trailing comma in an object is malformed wherever the pieces are cut (Jackson's non-blocking parser accepted it
   * when the comma ended a piece; found by the jsonIncrementalReader fuzz target).
   */
  @Test
  void aTrailingCommaIsMalformedWhereverThePiecesAreCut() {
    String doc = "{\"a\":{\"b\":1,\n    },\"c\":2}";
    byte[] b = doc.getBytes(StandardCharsets.UTF_8);
    String expected = null;
    for (int cut = 0; cut <= b.length; cut++) {
      for (int second = cut; second <= b.length; second++) {
        JsonTreeReader reader = new JsonTreeReader(JsonLimits.defaults(), 0);
        reader.feed(b, 0, cut);
        reader.feed(b, cut, second - cut);
        reader.feed(b, second, b.length - second);
        JsonValue v = reader.end();
        assertTrue(v.isTruncated(), cut + "/" + second + ": " + v);
        assertEquals(-1, v.path("c").asLong(-1), cut + "/" + second + ": read past the malformed object");
        if (expected == null) expected = v.toString();
        assertEquals(expected, v.toString(), cut + "/" + second);
      }
    }
    assertEquals(expected, JsonTreeReader.parse(b, 0, b.length, JsonLimits.defaults()).toString(), "one pass");
  }

  /** The tree of {@code b} fed in pieces cut at {@code cuts}, from the first byte incrementally. */
  private static String incremental(byte[] b, JsonLimits limits, int... cuts) {
    JsonTreeReader reader = new JsonTreeReader(limits, 0);
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : b.length;
      byte[] piece = Arrays.copyOfRange(b, from, to);
      reader.feed(piece, 0, piece.length);
      Arrays.fill(piece, (byte) '!');
      from = to;
    }
    JsonValue v = reader.end();
    return v == null ? "null" : v + (v.isTruncated() ? " (truncated)" : "");
  }

  /** Every 2- and 3-way cut of the document gives the tree of the uncut feed; returns that tree. */
  private static String assertCutIndependent(String doc, JsonLimits limits) {
    byte[] b = doc.getBytes(StandardCharsets.UTF_8);
    String whole = incremental(b, limits);
    for (int i = 0; i <= b.length; i++) {
      assertEquals(whole, incremental(b, limits, i), doc + " cut at " + i);
      for (int j = i; j <= b.length; j++) assertEquals(whole, incremental(b, limits, i, j), doc + " cut at " + i + "," + j);
    }
    return whole;
  }

  /**
   * Jackson's non-blocking parser reads some bytes differently when a piece ends right after them (the clipper holds
   * such a tail back): a separator before a closing bracket, a number cut after its dot.
   */
  @Test
  void whatJacksonsParserReadsDifferentlyAtAPiecesEndDoesNotDependOnTheCuts() {
    JsonLimits small = JsonLimits.defaults().withMaxDepth(2).withMaxStringChars(4);
    String[] malformed = {"{\"x\":{\"a\":},\"b\":1}", "{\"a\" : }", "[{\"a\":}]", "{\"a\":1.5.5}", "[1.1.]", "[1,]",
        "[1,,2]", "{\"a\":1,,\"b\":2}", "{\"a\":1, :\"b\"}", "{\"a\":2." + "9".repeat(50) + ".9,\"b\":1}",
        "2." + "9".repeat(40) + ".5", "[1e5.5]", "[1.5e.5]", "{\"a\":" + "1".repeat(31) + ",}",
        "[0,1." + "3".repeat(30) + ".5]", "2.9999999999999999D9999999991999999999[99999999999999..", "[01]", "[-a]",
        "[1.e5]", "[1e+]", "{\"a\":1\"b\"}", "[1x]", "[1e5e5]", "[-]", "[1.5:2]"};
    String[] valid = {"{\"a\":[1,2],\"b\":{\"c\":-1.5e+3}}",
        "{\"a\":\"x,y:z\",\"b\":\"long string, long\",\"c\":[[[[1]]]],\"d\":12345678901234567890}",
        "{\"a\":1,\"deep\":[[[[[1,2],3]]]],\"b\":2}", "123", "-0.5e-7", "[true,false,null]",
        "[" + "1".repeat(60) + ".5," + "2".repeat(40) + "]"};
    for (String doc : malformed) {
      assertCutIndependent(doc, JsonLimits.defaults());
      assertCutIndependent(doc, small);
    }
    for (String doc : valid) {
      String whole = assertCutIndependent(doc, JsonLimits.defaults());
      assertCutIndependent(doc, small);
      byte[] b = doc.getBytes(StandardCharsets.UTF_8);
      assertEquals(whole, String.valueOf(JsonTreeReader.parse(b, 0, b.length, JsonLimits.defaults())), "one pass");
    }
    assertEquals("{\"x\":{}} (truncated)", assertCutIndependent("{\"x\":{\"a\":},\"b\":1}", JsonLimits.defaults()));
    assertEquals("{\"a\":1.5} (truncated)", assertCutIndependent("{\"a\":1.5.5}", JsonLimits.defaults()));
  }

  /** A number then a comma cut by the limit: the number is read (the comma ends it), as on the one-pass path. */
  @Test
  void aNumberEndedByACommaBeforeTheLimitIsRead() {
    String doc = "{\"u\":{\"prompt_tokens\":19,\"total\":30}}";
    byte[] b = doc.getBytes(StandardCharsets.UTF_8);
    JsonLimits limits = JsonLimits.defaults().withMaxDocumentBytes(doc.indexOf(",") + 1);
    assertEquals("{\"u\":{\"prompt_tokens\":19}} (truncated)", incremental(b, limits));
    int limit = doc.indexOf(",") + 1;
    assertEquals("{\"u\":{\"prompt_tokens\":19}} (truncated)", incremental(b, limits, limit), "the limit between pieces");
    assertEquals("{\"u\":{\"prompt_tokens\":19}} (truncated)", incremental(b, limits, limit - 1));
    assertEquals("{\"u\":{\"prompt_tokens\":19}}", JsonTreeReader.parse(b, 0, b.length, limits).toString());
  }

  @Test
  void truncatedInputYieldsThePartialTree() {
    String cut = CHAT.substring(0, CHAT.indexOf("\"usage\"") + 30); // inside usage
    for (JsonValue v : new JsonValue[] {parse(cut, JsonLimits.defaults()), feed(cut, JsonLimits.defaults(), 5)}) {
      assertNotNull(v);
      assertTrue(v.isTruncated());
      assertEquals("chatcmpl-9", v.path("id").asText(null));
      assertEquals("stop", v.path("choices").get(0).path("finish_reason").asText(null));
      assertEquals(19, v.path("usage").path("prompt_tokens").asLong(-1));
      assertTrue(v.path("usage").isTruncated());
    }
  }

  @Test
  void malformedInputNeverThrows() {
    String[] inputs = {"", "   ", "garbage", "{\"a\":1,,}", "{\"a\":1} trailing", "[1,2,", "{\"a\":tru}", "\"open",
        "{\"a\":\"\\uZZZZ\"}", "}", "{\"a\":1e99999}", "\u0000\u0001", "{\"a\":[1,{\"b\":2]}"};
    for (String in : inputs) {
      parse(in, JsonLimits.defaults());
      for (int size : new int[] {1, 4, 1000}) feed(in, JsonLimits.defaults(), size);
    }
    assertNull(parse("garbage", JsonLimits.defaults()));
    assertNull(feed("", JsonLimits.defaults(), 1));
    assertEquals(1, parse("{\"a\":1,,}", JsonLimits.defaults()).path("a").asLong(-1));
    assertEquals(1, feed("{\"a\":1,,}", JsonLimits.defaults(), 1).path("a").asLong(-1));
    assertEquals("{\"a\":1}", parse("{\"a\":1} trailing", JsonLimits.defaults()).toString());
    assertEquals(2, parse("{\"a\":[1,{\"b\":2]}", JsonLimits.defaults()).path("a").get(1).path("b").asLong(-1));
  }

  @Test
  void hugeArraysReportTheirLengthWithoutKeepingIt() {
    StringBuilder sb = new StringBuilder("{\"data\":[{\"embedding\":[");
    for (int i = 0; i < 3072; i++) sb.append(i == 0 ? "" : ",").append("-0.0123456").append(i);
    sb.append("],\"index\":0}],\"usage\":{\"prompt_tokens\":8}}");
    JsonLimits limits = JsonLimits.defaults().withMaxArrayElements(8);
    for (JsonValue v : new JsonValue[] {parse(sb.toString(), limits), feed(sb.toString(), limits, 8192)}) {
      JsonValue embedding = v.path("data").get(0).path("embedding");
      assertEquals(3072, embedding.size());
      assertEquals(8, embedding.retainedSize());
      assertTrue(embedding.isTruncated());
      assertEquals(8, v.path("usage").path("prompt_tokens").asLong(-1));
    }
  }

  @Test
  void summarizedFieldsKeepOnlyTheirSize() {
    String json = "{\"data\":[{\"embedding\":[1,2,3,[4,5],{\"x\":1}],\"index\":0},{\"embedding\":\"AAAAAAAA\"}],"
        + "\"messages\":{\"a\":1,\"b\":[2]},\"n\":1}";
    JsonLimits limits = JsonLimits.defaults().withSummarizedFields("embedding", "messages");
    for (JsonValue v : new JsonValue[] {parse(json, limits), feed(json, limits, 1)}) {
      JsonValue first = v.path("data").get(0).path("embedding");
      assertTrue(first.isArray());
      assertEquals(5, first.size());
      assertEquals(0, first.retainedSize());
      assertEquals(0, v.path("data").get(0).path("index").asLong(-1));
      JsonValue second = v.path("data").get(1).path("embedding");
      assertEquals(8, second.size());
      assertEquals("", second.asText(null));
      assertEquals(2, v.path("messages").size());
      assertTrue(v.path("messages").isObject());
      assertEquals(1, v.path("n").asLong(-1));
    }
  }

  @Test
  void ignoredFieldsAreLeftOut() {
    String json = "{\"id\":\"x\",\"choices\":[{\"delta\":{\"content\":\"hi\"},\"index\":0}],\"delta\":[1,2]}";
    JsonLimits limits = JsonLimits.defaults().withIgnoredFields("delta", "id");
    for (JsonValue v : new JsonValue[] {parse(json, limits), feed(json, limits, 1)}) {
      assertEquals("{\"choices\":[{\"index\":0}]}", v.toString());
      assertEquals(1, v.path("choices").size());
    }
    JsonValue more = parse(json, limits.withMoreIgnoredFields("choices"));
    assertEquals("{}", more.toString());
  }

  @Test
  void longStringsAreCutAndRememberTheirLength() {
    String content = "\u00e9".repeat(3000) + "end";
    String json = "{\"content\":\"" + content + "\",\"after\":1}";
    JsonLimits limits = JsonLimits.defaults().withMaxStringChars(100);
    for (JsonValue v : new JsonValue[] {parse(json, limits), feed(json, limits, 1), feed(json, limits, 4096)}) {
      JsonValue s = v.path("content");
      assertEquals("\u00e9".repeat(100), s.asText(null));
      assertEquals(3003, s.size());
      assertTrue(s.isTruncated());
      assertEquals(1, v.path("after").asLong(-1));
    }
  }

  @Test
  void cutNeverSplitsASurrogatePair() {
    String json = "[\"a" + "\uD83D\uDE00".repeat(10) + "\"]";
    JsonValue v = parse(json, JsonLimits.defaults().withMaxStringChars(4));
    assertEquals("a\uD83D\uDE00", v.get(0).asText(null));
  }

  @Test
  void fiftyMegabyteStringsPassWithBoundedBuffers() {
    // Jackson refuses strings over 20 M chars; passing 50 MB through shows the reader cut it before the parser.
    byte[] head = "{\"id\":\"x\",\"image\":\"data:image/png;base64,".getBytes(StandardCharsets.US_ASCII);
    byte[] tail = "\",\"usage\":{\"prompt_tokens\":5}}".getBytes(StandardCharsets.US_ASCII);
    JsonTreeReader reader = new JsonTreeReader(JsonLimits.defaults().withMaxStringChars(64));
    reader.feed(head, 0, head.length);
    byte[] chunk = new byte[8192];
    Arrays.fill(chunk, (byte) 'Q');
    long total = 50L << 20;
    for (long sent = 0; sent < total; sent += chunk.length) reader.feed(chunk, 0, chunk.length);
    reader.feed(tail, 0, tail.length);
    JsonValue v = reader.end();
    assertEquals(5, v.path("usage").path("prompt_tokens").asLong(-1));
    assertEquals(64, v.path("image").asText("").length());
    assertEquals(total + "data:image/png;base64,".length(), v.path("image").size());
  }

  @Test
  void escapesAroundTheCutPointStayValid() {
    // the cut must not fall inside an escape: every position of the escape relative to the cut is tried
    for (int pad = 0; pad < 12; pad++) {
      String s = "y".repeat(pad) + "\\u00e9\\\"\\\\".repeat(40);
      String json = "{\"s\":\"" + s + "\",\"after\":true}";
      for (int size : new int[] {1, 3, 1000}) {
        JsonValue v = feed(json, JsonLimits.defaults().withMaxStringChars(1), size);
        assertTrue(v.path("after").asBoolean(false), "pad " + pad + " size " + size);
        assertFalse(v.isTruncated());
      }
    }
  }

  @Test
  void deepNestingIsCutAtTheDepthLimitAndNeverOverflows() {
    String deep = "[".repeat(100000) + "]".repeat(100000);
    assertNotNull(parse(deep, JsonLimits.defaults()));
    assertNotNull(feed(deep, JsonLimits.defaults(), 4096));
    String json = "{\"a\":{\"b\":{\"c\":{\"d\":1}}},\"after\":2}";
    JsonValue v = parse(json, JsonLimits.defaults().withMaxDepth(3));
    JsonValue c = v.path("a").path("b").path("c");
    assertTrue(c.isObject());
    assertTrue(c.isTruncated());
    assertEquals(1, c.size());
    assertTrue(c.path("d").isMissing());
    assertEquals(2, v.path("after").asLong(-1));
  }

  @Test
  void retainedCharsAndNodeBudgetsHold() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < 1000; i++) sb.append(i == 0 ? "" : ",").append("\"0123456789\"");
    sb.append("]");
    JsonValue v = parse(sb.toString(), JsonLimits.defaults().withMaxArrayElements(10000).withMaxRetainedChars(95));
    int chars = 0;
    for (int i = 0; i < v.retainedSize(); i++) chars += v.get(i).asText("").length();
    assertEquals(95, chars);
    assertEquals(1000, v.size());
    JsonValue nodes = parse(sb.toString(), JsonLimits.defaults().withMaxArrayElements(10000).withMaxNodes(50));
    assertTrue(nodes.retainedSize() < 50);
    assertTrue(nodes.isTruncated());
  }

  @Test
  void objectFieldLimit() {
    JsonValue v = parse("{\"a\":1,\"b\":2,\"c\":3}", JsonLimits.defaults().withMaxObjectFields(2));
    assertEquals(2, v.retainedSize());
    assertEquals(3, v.size());
    assertTrue(v.path("c").isMissing());
    assertEquals("b", v.fieldName(1));
  }

  @Test
  void documentByteLimitStopsReading() {
    String json = "{\"a\":1,\"b\":2}";
    JsonValue v = feed(json, JsonLimits.defaults().withMaxDocumentBytes(9), 1);
    assertEquals(1, v.path("a").asLong(-1));
    assertTrue(v.path("b").isMissing());
    assertTrue(v.isTruncated());
  }

  @Test
  void emptyContainers() {
    String json = "{\"choices\":[],\"o\":{},\"usage\":{\"prompt_tokens\":9}}";
    for (JsonValue v : new JsonValue[] {parse(json, JsonLimits.defaults()), feed(json, JsonLimits.defaults(), 1)}) {
      assertEquals(json, v.toString());
      assertFalse(v.isTruncated());
      assertEquals(0, v.path("choices").size());
      assertTrue(v.path("choices").isArray());
      assertTrue(v.path("o").isObject());
    }
    assertEquals("[]", parse("[]", JsonLimits.defaults()).toString());
    assertEquals("{}", feed("{}", JsonLimits.defaults(), 1).toString());
  }

  @Test
  void scalarsAndBigNumbers() {
    assertEquals(42, parse("42", JsonLimits.defaults()).asLong(-1));
    assertEquals(3, parse("3.0", JsonLimits.defaults()).asLong(-1));
    assertSame(JsonValue.TRUE, feed("true", JsonLimits.defaults(), 1));
    assertEquals(1e20, parse("100000000000000000000", JsonLimits.defaults()).asDouble(0), 1e5);
    assertEquals(-1, parse("100000000000000000000", JsonLimits.defaults()).asLong(-1));
  }
}
