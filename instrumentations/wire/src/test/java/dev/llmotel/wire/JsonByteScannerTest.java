package dev.llmotel.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Our scanner against Jackson's byte parser (what {@link JsonTreeReader#parse} used before): the same tree, to the
 * last count and truncation flag, for valid documents, every truncation of them and single-byte corruptions at every
 * position, under several limits.
 */
class JsonByteScannerTest {
  static final String[] DOCUMENTS = {
      JsonTreeReaderTest.CHAT,
      "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"caf\u00e9 \ud83d\ude00 \\ud83d\\ude00\"},"
          + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
      "{\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.0023064255,-0.009327292,1e-7,2E+3,-0.0]}],"
          + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}",
      " \r\n\t{ \"a\" : [ 1 , -2 , 3.5e10 , true , false , null , \"x\" , { } , [ ] ] , \"b\" :{\"c\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"} } ",
      "[9223372036854775807,-9223372036854775808,9223372036854775808,123456789012345678901234567890,0,-0,0.5,1E2]",
      "{\"nested\":{\"a\":{\"b\":{\"c\":{\"d\":[[[[1]]]]}}}},\"long\":\"" + "0123456789".repeat(30) + "\",\"k\":1}",
      "{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\","
          + "\"properties\":{\"city\":{\"type\":\"string\"}}}}}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
      "\"just a string\"", "42", "-7.25e-3", "true", "null", "[]", "{}",
      "\u00ef\u00bb\u00bf{\"bom\":1}", // stands for the UTF-8 byte order mark once encoded as Latin-1 below
  };

  static final JsonLimits[] LIMITS = {
      JsonLimits.defaults(),
      JsonLimits.defaults().withMaxStringChars(5).withMaxArrayElements(2).withMaxObjectFields(3).withMaxDepth(3),
      JsonLimits.defaults().withMaxRetainedChars(40).withMaxNodes(12),
      JsonLimits.defaults().withSummarizedFields("content", "messages", "embedding").withIgnoredFields("usage", "id"),
  };

  static byte[] bytes(String document) {
    // the byte-order-mark sample is written as Latin-1 characters so that it becomes the three BOM bytes
    return document.startsWith("\u00ef\u00bb\u00bf") ? document.getBytes(StandardCharsets.ISO_8859_1)
        : document.getBytes(StandardCharsets.UTF_8);
  }

  static JsonValue withJackson(byte[] b, int length, JsonLimits limits) {
    JsonTreeBuilder builder = new JsonTreeBuilder(limits);
    // a factory per document: Jackson's shared name table can let a name with invalid UTF-8 through once a similar
    // name was seen, which is state, not grammar
    JsonFactory jackson = JsonFactory.builder().disable(JsonFactory.Feature.INTERN_FIELD_NAMES).build();
    try (JsonParser p = jackson.createParser(b, 0, length)) {
      builder.consume(new JsonTokens.Jackson(p));
    } catch (Exception malformed) {
      // keep what was read
    }
    return builder.result();
  }

  static JsonValue withScanner(byte[] b, int length, JsonLimits limits) {
    return JsonTreeReader.parse(b, 0, length, limits);
  }

  /** Everything a caller can see of a tree. */
  static String describe(JsonValue v) {
    if (v == null) return "<none>";
    StringBuilder out = new StringBuilder();
    describe(v, out);
    return out.toString();
  }

  private static void describe(JsonValue v, StringBuilder out) {
    out.append(v.kind()).append('/').append(v.size()).append(v.isTruncated() ? "/cut" : "");
    switch (v.kind()) {
      case OBJECT:
      case ARRAY:
        out.append('{');
        for (int i = 0; i < v.retainedSize(); i++) {
          if (v.isObject()) out.append(v.fieldName(i)).append('=');
          describe(v.get(i), out);
          out.append(',');
        }
        out.append('}');
        break;
      default:
        out.append(':').append(v.isNumber() ? v.toString() + "/" + v.asLong(Long.MIN_VALUE) : v.toString());
    }
  }

  private static void assertSame(byte[] b, int length, String what) {
    for (JsonLimits limits : LIMITS) {
      assertEquals(describe(withJackson(b, length, limits)), describe(withScanner(b, length, limits)), what);
    }
  }

  @Test
  void validDocumentsGiveJacksonsTree() {
    for (String doc : DOCUMENTS) {
      byte[] b = bytes(doc);
      assertSame(b, b.length, doc);
      assertTrue(withScanner(b, b.length, JsonLimits.defaults()) != null, doc);
    }
  }

  @Test
  void everyTruncationGivesJacksonsPartialTree() {
    for (String doc : DOCUMENTS) {
      byte[] b = bytes(doc);
      for (int length = 0; length <= b.length; length++) assertSame(b, length, doc + " cut at " + length);
    }
  }

  @Test
  void everySingleByteCorruptionGivesJacksonsTree() {
    byte[] replacements = {'"', '\\', ',', ':', '[', ']', '{', '}', '0', '5', '-', '+', '.', 'e', 'E', 't', 'n', 'x',
        'u', '/', '#', ' ', '\n', 0x01, 0x00, 0x7f, (byte) 0x80, (byte) 0xc3, (byte) 0xe2, (byte) 0xf0, (byte) 0xff};
    for (String doc : DOCUMENTS) {
      byte[] original = bytes(doc);
      for (int i = 0; i < original.length; i++) {
        for (byte r : replacements) {
          byte[] b = original.clone();
          b[i] = r;
          assertSame(b, b.length, doc + " with byte " + i + " = " + r);
        }
        byte[] deleted = new byte[original.length - 1];
        System.arraycopy(original, 0, deleted, 0, i);
        System.arraycopy(original, i + 1, deleted, i, original.length - i - 1);
        assertSame(deleted, deleted.length, doc + " without byte " + i);
      }
    }
  }

  @Test
  void randomDocumentsFromJsonPiecesGiveJacksonsTree() {
    String[] pieces = {"{", "}", "[", "]", ",", ":", "\"a\"", "\"b\\u00e9\"", "\"\\ud83d\"", "1", "-0", "0.5", "1e3",
        "01", "-", "1.", "true", "fals", "null", " ", "\t", "\"x", "\\", "\u00e9", "tru e", "nullx", "1]",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1E+3", "1e-", "+1", ".5", "NaN",
        "true$", "false:", "null_", "\"\\x\"", "\"\\u12g4\"", "\"\u0001\"", "\"\ud83d\ude00\"", "\"k\u00e9y\"", "\ufeff", "/"};
    Random random = new Random(20261122);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder sb = new StringBuilder();
      int count = 1 + random.nextInt(12);
      for (int i = 0; i < count; i++) sb.append(pieces[random.nextInt(pieces.length)]);
      byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
      if (n % 10 == 0 && b.length > 0) b[random.nextInt(b.length)] = (byte) random.nextInt(256); // any byte
      assertSame(b, b.length, sb + " " + Arrays.toString(b));
    }
  }

  @Test
  void jacksonsStreamLimitsHold() {
    String deep = "[".repeat(JsonByteScanner.MAX_DEPTH + 5) + "]".repeat(JsonByteScanner.MAX_DEPTH + 5);
    assertSame(bytes(deep), deep.length(), "nesting past Jackson's limit");
    String ok = "[".repeat(JsonByteScanner.MAX_DEPTH) + "]".repeat(JsonByteScanner.MAX_DEPTH);
    assertSame(bytes(ok), ok.length(), "nesting at Jackson's limit");
    for (int digits : new int[] {999, 1000, 1001}) {
      String n = "[" + "7".repeat(digits) + ",1]";
      assertSame(bytes(n), n.length(), digits + " digits");
      String f = "[0." + "7".repeat(digits) + ",1]";
      assertSame(bytes(f), f.length(), digits + " fraction digits");
    }
  }

  @Test
  void documentsJacksonReadsAsUtf16AreLeftToJackson() {
    byte[] utf16 = "{\"a\":1}".getBytes(StandardCharsets.UTF_16BE);
    assertEquals(false, JsonByteScanner.handles(utf16, 0, utf16.length));
    assertEquals(describe(withJackson(utf16, utf16.length, JsonLimits.defaults())),
        describe(withScanner(utf16, utf16.length, JsonLimits.defaults())));
    assertEquals(1, withScanner(utf16, utf16.length, JsonLimits.defaults()).path("a").asLong(-1));
  }

  @Test
  void surrogatePairsAndEscapesDecodeLikeJackson() {
    byte[] b = bytes("{\"s\":\"\ud83d\ude00\\ud83d\\ude00\\u00e9\\/\"}");
    JsonValue v = withScanner(b, b.length, JsonLimits.defaults());
    assertEquals("\ud83d\ude00\ud83d\ude00\u00e9/", v.path("s").asText(null));
    assertEquals(6, v.path("s").size());
    assertNull(withScanner(bytes("nul"), 3, JsonLimits.defaults()));
    List<String> none = new ArrayList<>(Arrays.asList("", " ", "x", "]", "-", "01", "1.", "1e", "\"open"));
    for (String s : none) assertNull(withScanner(bytes(s), bytes(s).length, JsonLimits.defaults()), s);
  }
}
