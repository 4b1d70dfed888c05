package dev.llmotel.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonTreeReader#parse}'s trees against an oracle that shares none of the tree builder's code (only the
 * {@link JsonValue} factories): a plain recursive reading of Jackson's streaming parser, without limits, that keeps
 * what it read before an error. Under the default limits (which none of these documents reach) the trees must be the
 * oracle's, to the last count and truncation flag; under tight limits they must stay within the limits and keep
 * nothing the oracle does not have. Checked for valid documents, every truncation of them, single-byte corruptions
 * and deletions at every position, and random documents.
 */
class JsonTreeOracleTest {
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
      "[\"abcd\ud83d\ude00\",\"\ud83d\ude00\ud83d\ude00\ud83d\ude00\"]", // cut points inside surrogate pairs
      "\"just a string\"", "42", "-7.25e-3", "true", "null", "[]", "{}",
      "\u00ef\u00bb\u00bf{\"bom\":1}", // stands for the UTF-8 byte order mark once encoded as Latin-1 below
  };

  static final JsonLimits[] TIGHT_LIMITS = {
      JsonLimits.defaults().withMaxStringChars(5).withMaxArrayElements(2).withMaxObjectFields(3).withMaxDepth(3),
      JsonLimits.defaults().withMaxRetainedChars(40).withMaxNodes(12),
      JsonLimits.defaults().withSummarizedFields("content", "messages", "embedding").withIgnoredFields("usage", "id"),
  };

  /**
   * A byte that never occurs in UTF-8, in place of 0xFF in the corruptions: Jackson's shared name table pads a name's
   * last four bytes with 0xFF, so once a name such as {@code d} has been read, the bytes {@code FF 64} are looked up
   * as that name instead of failing as invalid UTF-8. That depends on what the parser factory has seen (state, not
   * grammar), which a per-document oracle cannot follow.
   */
  static final byte NOT_UTF8 = (byte) 0xfe;

  static byte[] bytes(String document) {
    // the byte-order-mark sample is written as Latin-1 characters so that it becomes the three BOM bytes
    return document.startsWith("\u00ef\u00bb\u00bf") ? document.getBytes(StandardCharsets.ISO_8859_1)
        : document.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The tree Jackson's parser gives without limits: what was read before an error (cut), or null. When Jackson
   * cannot read the document to its end and a string in it holds invalid UTF-8, the tree is instead the one Jackson
   * gives for the document with each string's bytes decoded and encoded again by the JDK (invalid sequences becoming
   * U+FFFD), as the reader does with its own repaired copy.
   */
  static JsonValue oracle(byte[] b, int length) {
    boolean[] failed = {false};
    JsonValue tree = jackson(b, length, failed);
    if (!failed[0]) return tree;
    byte[] original = Arrays.copyOf(b, length);
    byte[] repaired = jdkRepaired(original);
    return Arrays.equals(original, repaired) ? tree : jackson(repaired, repaired.length, failed);
  }

  private static JsonValue jackson(byte[] b, int length, boolean[] failed) {
    // a factory per document: a shared name table is state the oracle should not have
    JsonFactory factory = JsonFactory.builder().disable(JsonFactory.Feature.INTERN_FIELD_NAMES).build();
    try (JsonParser p = factory.createParser(b, 0, length)) {
      JsonToken t = p.nextToken();
      return t == null ? null : value(p, t);
    } catch (Cut cut) {
      failed[0] = true;
      return cut.partial;
    } catch (IOException | RuntimeException malformed) {
      failed[0] = true;
      return null;
    }
  }

  /** The document with every string's content (between unescaped quotes) decoded and re-encoded by the JDK. */
  static byte[] jdkRepaired(byte[] b) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream string = new java.io.ByteArrayOutputStream();
    boolean inString = false;
    boolean escaped = false;
    for (byte c : b) {
      if (!inString) {
        out.write(c);
        inString = c == '"';
        continue;
      }
      if (escaped && c >= 0) { // an escape's second byte (ASCII) is content as it is
        escaped = false;
        string.write(c);
        continue;
      }
      escaped = false;
      if (c == '\\') {
        escaped = true;
        string.write(c);
      } else if (c == '"') {
        byte[] text = new String(string.toByteArray(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        out.write(text, 0, text.length);
        string.reset();
        out.write(c);
        inString = false;
      } else {
        string.write(c);
      }
    }
    byte[] rest = string.toByteArray(); // an unterminated string
    out.write(rest, 0, rest.length);
    return out.toByteArray();
  }

  /** Thrown up through the open containers, each replacing the partial tree with its own. */
  private static final class Cut extends IOException {
    final JsonValue partial;

    Cut(JsonValue partial) {
      this.partial = partial;
    }
  }

  private static JsonValue value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_ARRAY:
      case START_OBJECT: {
        boolean array = t == JsonToken.START_ARRAY;
        List<String> keys = new ArrayList<>();
        List<JsonValue> values = new ArrayList<>();
        long count = 0;
        while (true) {
          JsonToken next = next(p, array, keys, values, count);
          if (next == JsonToken.END_ARRAY || next == JsonToken.END_OBJECT) {
            return container(array, keys, values, count, false);
          }
          count++;
          String key = null;
          if (!array) {
            key = p.currentName();
            next = next(p, false, keys, values, count);
          }
          JsonValue v;
          try {
            v = value(p, next);
          } catch (Cut inner) {
            if (!array) keys.add(key);
            values.add(inner.partial);
            throw new Cut(container(array, keys, values, count, true));
          } catch (IOException | RuntimeException malformed) {
            throw new Cut(container(array, keys, values, count, true));
          }
          if (!array) keys.add(key);
          values.add(v);
        }
      }
      case VALUE_STRING: {
        String text = p.getText();
        return JsonValue.string(text, text.length());
      }
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT: {
        Number n = p.getNumberValue();
        return n instanceof Integer || n instanceof Long ? JsonValue.integer(n.longValue())
            : JsonValue.decimal(n.doubleValue());
      }
      case VALUE_TRUE:
        return JsonValue.TRUE;
      case VALUE_FALSE:
        return JsonValue.FALSE;
      case VALUE_NULL:
        return JsonValue.NULL;
      default:
        throw new IOException("unexpected " + t);
    }
  }

  /** The next token inside an open container; an error or the end of input cuts the container. */
  private static JsonToken next(JsonParser p, boolean array, List<String> keys, List<JsonValue> values, long count)
      throws Cut {
    try {
      JsonToken t = p.nextToken();
      if (t != null) return t;
    } catch (IOException | RuntimeException malformed) {
      // cut below
    }
    throw new Cut(container(array, keys, values, count, true));
  }

  private static JsonValue container(boolean array, List<String> keys, List<JsonValue> values, long count,
      boolean cut) {
    JsonValue[] v = values.toArray(new JsonValue[0]);
    return array ? JsonValue.array(v, count, cut) : JsonValue.object(keys.toArray(new String[0]), v, count, cut);
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

  /** The reader's tree is the oracle's under the default limits, and within every tight limit set a part of it. */
  private static void check(byte[] b, int length, String what) {
    JsonValue expected = oracle(b, length);
    assertEquals(describe(expected), describe(JsonTreeReader.parse(b, 0, length, JsonLimits.defaults())), what);
    for (JsonLimits limits : TIGHT_LIMITS) {
      JsonValue tree = JsonTreeReader.parse(b, 0, length, limits);
      if (tree == null) {
        assertNull(expected, what);
        continue;
      }
      assertNotNull(expected, what);
      int[] budget = {limits.maxRetainedChars(), limits.maxNodes()};
      within(tree, expected, limits, 1, budget, what + " " + describe(tree));
    }
  }

  /**
   * {@code tree} keeps within the limits and holds only what {@code full} (the oracle's tree) holds: the same kinds,
   * sizes and scalars, strings cut from the oracle's, array elements a prefix and object fields a subsequence of the
   * oracle's; what the oracle marks cut is marked cut.
   *
   * @param budget retained characters and nodes still allowed, decreased as the tree is walked
   */
  private static void within(JsonValue tree, JsonValue full, JsonLimits limits, int depth, int[] budget, String what) {
    assertEquals(full.kind(), tree.kind(), what);
    assertEquals(full.size(), tree.size(), what);
    if (full.isTruncated()) assertTrue(tree.isTruncated(), what);
    switch (tree.kind()) {
      case STRING: {
        String text = tree.asText(null);
        assertTrue(text.length() <= limits.maxStringChars(), what);
        assertTrue(full.asText(null).startsWith(text), what);
        assertEquals(tree.size() > text.length(), tree.isTruncated(), what);
        if (tree.isTruncated() && !text.isEmpty()) {
          assertTrue(!Character.isHighSurrogate(text.charAt(text.length() - 1)), what + ": half a surrogate pair");
        }
        budget[0] -= text.length();
        break;
      }
      case ARRAY:
      case OBJECT: {
        if (depth > limits.maxDepth()) assertEquals(0, tree.retainedSize(), what);
        int max = tree.isArray() ? limits.maxArrayElements() : limits.maxObjectFields();
        assertTrue(tree.retainedSize() <= max, what);
        if (!tree.isTruncated()) assertEquals(full.retainedSize(), tree.retainedSize(), what);
        int j = 0;
        for (int i = 0; i < tree.retainedSize(); i++, j++) {
          if (tree.isObject()) {
            String key = tree.fieldName(i);
            while (j < full.retainedSize() && !key.equals(full.fieldName(j))) j++;
            assertTrue(j < full.retainedSize(), what + ": field " + key);
            assertTrue(!limits.ignored(key), what);
            if (limits.summarized(key)) { // a string keeps only its length, a container only its count
              JsonValue summary = tree.get(i);
              if (summary.isString()) assertEquals("", summary.asText(null), what);
              if (summary.isArray() || summary.isObject()) assertEquals(0, summary.retainedSize(), what);
            }
            budget[0] -= key.length();
          }
          budget[1]--;
          within(tree.get(i), full.get(j), limits, depth + 1, budget, what);
        }
        break;
      }
      default:
        assertEquals(describe(full), describe(tree), what);
    }
    assertTrue(budget[0] >= 0, what + ": retained characters");
    assertTrue(budget[1] >= 0, what + ": nodes");
  }

  @Test
  void validDocumentsGiveTheOraclesTree() {
    for (String doc : DOCUMENTS) {
      byte[] b = bytes(doc);
      check(b, b.length, doc);
      JsonValue v = JsonTreeReader.parse(b, 0, b.length, JsonLimits.defaults());
      assertNotNull(v, doc);
      assertTrue(!v.isTruncated(), doc);
    }
  }

  @Test
  void everyTruncationGivesTheOraclesPartialTree() {
    for (String doc : DOCUMENTS) {
      byte[] b = bytes(doc);
      for (int length = 0; length <= b.length; length++) check(b, length, doc + " cut at " + length);
    }
  }

  @Test
  void everySingleByteCorruptionGivesTheOraclesTree() {
    byte[] replacements = {'"', '\\', ',', ':', '[', ']', '{', '}', '0', '5', '-', '+', '.', 'e', 'E', 't', 'n', 'x',
        'u', '/', '#', ' ', '\n', 0x01, 0x00, 0x7f, (byte) 0x80, (byte) 0xc3, (byte) 0xe2, (byte) 0xf0, NOT_UTF8};
    for (String doc : DOCUMENTS) {
      byte[] original = bytes(doc);
      for (int i = 0; i < original.length; i++) {
        for (byte r : replacements) {
          byte[] b = original.clone();
          b[i] = r;
          check(b, b.length, doc + " with byte " + i + " = " + r);
        }
        byte[] deleted = new byte[original.length - 1];
        System.arraycopy(original, 0, deleted, 0, i);
        System.arraycopy(original, i + 1, deleted, i, original.length - i - 1);
        check(deleted, deleted.length, doc + " without byte " + i);
      }
    }
  }

  @Test
  void randomDocumentsFromJsonPiecesGiveTheOraclesTree() {
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
      if (n % 10 == 0 && b.length > 0) { // any byte
        int any = random.nextInt(256);
        b[random.nextInt(b.length)] = any == 0xff ? NOT_UTF8 : (byte) any;
      }
      check(b, b.length, sb + " " + Arrays.toString(b));
    }
  }

  @Test
  void nestingPastJacksonsLimitIsEmptiedAndNumbersPastItsDigitLimitCutTheTree() {
    // nesting past Jackson's 1,000 levels is emptied below it (the tree has only 32 levels anyway); numbers past its
    // 1,000 digits are errors: the tree is what came before
    for (int depth : new int[] {999, 1000, 1005, 10_000}) {
      String deep = "[".repeat(depth) + "]".repeat(depth);
      byte[] b = bytes(deep);
      byte[] flattened = bytes("[".repeat(Math.min(depth, 257)) + "]".repeat(Math.min(depth, 257)));
      for (JsonLimits limits : TIGHT_LIMITS) {
        within(JsonTreeReader.parse(b, 0, b.length, limits), oracle(flattened, flattened.length), limits, 1,
            new int[] {limits.maxRetainedChars(), limits.maxNodes()}, depth + " levels");
      }
      assertEquals(describe(JsonTreeReader.parse(flattened, 0, flattened.length, JsonLimits.defaults())),
          describe(JsonTreeReader.parse(b, 0, b.length, JsonLimits.defaults())), depth + " levels");
      assertFalse(JsonTreeReader.parse(b, 0, b.length, JsonLimits.defaults()).isTruncated());
    }
    for (int digits : new int[] {999, 1000, 1001}) {
      check(bytes("[" + "7".repeat(digits) + ",1]"), digits + 4, digits + " digits");
      check(bytes("[0." + "7".repeat(digits) + ",1]"), digits + 6, digits + " fraction digits");
      assertEquals(digits <= 1000 ? 2 : 0,
          JsonTreeReader.parse(bytes("[" + "7".repeat(digits) + ",1]"), 0, digits + 4, JsonLimits.defaults())
              .retainedSize());
    }
  }

  @Test
  void utf16DocumentsAreReadAsJacksonDetectsThem() {
    byte[] utf16 = "{\"a\":1}".getBytes(StandardCharsets.UTF_16BE);
    check(utf16, utf16.length, "UTF-16BE");
    assertEquals(1, JsonTreeReader.parse(utf16, 0, utf16.length, JsonLimits.defaults()).path("a").asLong(-1));
  }

  @Test
  void surrogatePairsAndEscapesDecode() {
    byte[] b = bytes("{\"s\":\"\ud83d\ude00\\ud83d\\ude00\\u00e9\\/\"}");
    JsonValue v = JsonTreeReader.parse(b, 0, b.length, JsonLimits.defaults());
    assertEquals("\ud83d\ude00\ud83d\ude00\u00e9/", v.path("s").asText(null));
    assertEquals(6, v.path("s").size());
    List<String> none = new ArrayList<>(Arrays.asList("", " ", "x", "]", "-", "01", "1.", "1e", "\"open", "nul"));
    for (String s : none) assertNull(JsonTreeReader.parse(bytes(s), 0, bytes(s).length, JsonLimits.defaults()), s);
  }
}
