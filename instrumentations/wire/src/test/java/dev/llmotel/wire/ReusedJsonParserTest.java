package dev.llmotel.wire;

import static dev.llmotel.wire.JsonTreeOracleTest.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonTreeReader#parse} through the {@link ReusedJsonParser} gives, document after document, exactly the tree
 * a parser of the document's own gives ({@link JsonTreeReader#parseOnePass}): for every JSON document of the
 * dialects' recorded exchanges (bodies, SSE events, NDJSON lines) under the default, tight and dialect-like limits,
 * and for every truncation and many corruptions of them, each followed by a valid document (a bad document must not
 * spoil the next one).
 */
class ReusedJsonParserTest {
  private static final JsonLimits[] LIMITS = {
      JsonLimits.defaults(),
      JsonTreeOracleTest.TIGHT_LIMITS[0],
      JsonTreeOracleTest.TIGHT_LIMITS[1],
      JsonTreeOracleTest.TIGHT_LIMITS[2],
      // like OpenAI's stream chunks (content capture off), and once the identity is known
      JsonLimits.defaults().withMaxStringChars(500).withMaxArrayElements(128).withMaxDepth(6)
          .withIgnoredFields("delta", "logprobs", "text", "object", "created", "content_filter_results"),
      JsonLimits.defaults().withMaxStringChars(500).withMaxArrayElements(128).withMaxDepth(6)
          .withIgnoredFields("delta", "logprobs", "text", "object", "created", "id", "model", "system_fingerprint"),
      // like plain response bodies: bulky fields summarized
      JsonLimits.defaults().withMaxStringChars(500).withMaxDepth(6).withMaxDocumentBytes(4096)
          .withSummarizedFields("content", "tool_calls", "messages", "embedding", "text", "parts"),
  };

  /** The JSON documents of every recorded exchange of every dialect, and the wire tests' own samples. */
  static List<byte[]> recordedDocuments() throws IOException {
    List<byte[]> documents = new ArrayList<>();
    for (String d : JsonTreeOracleTest.DOCUMENTS) documents.add(JsonTreeOracleTest.bytes(d));
    Path dialects = Paths.get("..", "dialects");
    assertTrue(Files.isDirectory(dialects), "the dialect modules sit next to this one");
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dialects)) {
      walk.filter(p -> p.toString().contains("recordings") && p.toString().endsWith(".http")).sorted()
          .forEach(files::add);
    }
    for (Path file : files) {
      String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      int blank = text.indexOf("\n\n");
      int blankCrlf = text.indexOf("\r\n\r\n");
      int body = blank < 0 ? (blankCrlf < 0 ? -1 : blankCrlf + 4)
          : blankCrlf < 0 || blank < blankCrlf ? blank + 2 : blankCrlf + 4;
      if (body < 0) continue;
      String content = text.substring(body);
      documents.add(content.getBytes(StandardCharsets.UTF_8));
      for (String line : content.split("\r?\n")) {
        String doc = line.startsWith("data:") ? line.substring(5) : line;
        if (!doc.trim().isEmpty()) documents.add(doc.getBytes(StandardCharsets.UTF_8));
      }
    }
    return documents;
  }

  private static int reusedCount;

  /** Parses through the reused parser and alone, and compares; returns whether the reused parser read it. */
  private static boolean same(byte[] b, int offset, int length, JsonLimits limits, String what) {
    JsonValue expected = JsonTreeReader.parseOnePass(b, offset, length, limits);
    JsonValue reused = ReusedJsonParser.parse(JsonTreeReaderAccess.factory(), b, offset, length, limits);
    if (reused == null) {
      assertEquals(describe(expected), describe(JsonTreeReader.parse(b, offset, length, limits)), what);
      return false;
    }
    reusedCount++;
    assertEquals(describe(expected), describe(reused), what);
    return true;
  }

  @Test
  void recordedDocumentsGiveTheSameTreesAsAParserOfTheirOwn() throws IOException {
    List<byte[]> documents = recordedDocuments();
    assertTrue(documents.size() > 300, documents.size() + " documents");
    int objects = 0;
    for (JsonLimits limits : LIMITS) {
      for (byte[] d : documents) {
        boolean read = same(d, 0, d.length, limits, new String(d, StandardCharsets.UTF_8));
        String trimmed = new String(d, StandardCharsets.UTF_8).trim();
        if (d.length <= ReusedJsonParser.MAX_DOCUMENT_BYTES && d.length <= limits.maxDocumentBytes()
            && trimmed.startsWith("{") && trimmed.endsWith("}") && JsonTreeReader.parseOnePass(d, 0, d.length,
                limits) != null && !trimmed.contains("\n{") && !trimmed.contains("}\n")) {
          objects++;
          assertTrue(read, "read by the reused parser: " + trimmed);
        }
      }
    }
    assertTrue(objects > 1000, objects + " whole objects");
  }

  @Test
  void truncationsAndCorruptionsNeverSpoilTheNextDocument() throws IOException {
    List<byte[]> documents = recordedDocuments();
    Random random = new Random(13);
    byte[] valid = JsonTreeOracleTest.bytes(JsonTreeOracleTest.DOCUMENTS[1]);
    int cases = 0;
    for (byte[] d : documents) {
      if (d.length > 2048) continue;
      JsonLimits limits = LIMITS[random.nextInt(LIMITS.length)];
      for (int cut = 0; cut < d.length; cut += 1 + random.nextInt(31)) {
        same(d, 0, cut, limits, "cut at " + cut);
        assertTrue(same(valid, 0, valid.length, limits, "after a cut"));
        cases++;
      }
      for (int n = 0; n < 12; n++) {
        byte[] bad = d.clone();
        int at = random.nextInt(bad.length);
        int kind = random.nextInt(4);
        if (kind == 0) bad[at] = (byte) random.nextInt(256);
        else if (kind == 1) bad[at] = "\"{}[],: \\u0x80".getBytes(StandardCharsets.ISO_8859_1)[random.nextInt(14)];
        else if (kind == 2) bad[at] = (byte) (0x80 + random.nextInt(0x7e)); // invalid or partial UTF-8
        else bad = trailing(d, random);
        if (bad[at] == (byte) 0xff) bad[at] = JsonTreeOracleTest.NOT_UTF8;
        // inside a larger array at an offset: the parser must honour the range
        byte[] framed = new byte[bad.length + 6];
        System.arraycopy(bad, 0, framed, 3, bad.length);
        same(framed, 3, bad.length, limits, "corrupted " + new String(bad, StandardCharsets.ISO_8859_1));
        assertTrue(same(valid, 0, valid.length, limits, "after " + new String(bad, StandardCharsets.ISO_8859_1)));
        cases++;
      }
    }
    assertTrue(cases > 5_000, cases + " cases");
    assertTrue(reusedCount > 5_000, reusedCount + " read by the reused parser");
  }

  @Test
  void aReaderFedTheWholeDocumentOrPiecesGivesTheOnePassTree() throws IOException {
    Random random = new Random(17);
    int early = 0;
    for (byte[] d : recordedDocuments()) {
      for (JsonLimits limits : LIMITS) {
        String expected = describe(JsonTreeReader.parseOnePass(d, 0, d.length, limits));
        JsonTreeReader whole = new JsonTreeReader(limits);
        byte[] framed = new byte[d.length + 2];
        System.arraycopy(d, 0, framed, 1, d.length);
        whole.feed(framed, 1, d.length);
        whole.feed(new byte[] {' ', 'x', '{'}, 0, 3); // whatever follows a whole document is not read
        assertEquals(expected, describe(whole.end()), new String(d, StandardCharsets.UTF_8));
        if (d.length > 0 && (d[d.length - 1] == '}' || d[d.length - 1] == ']')) early++;
        JsonTreeReader pieces = new JsonTreeReader(limits);
        int cut = d.length == 0 ? 0 : random.nextInt(d.length);
        pieces.feed(d, 0, cut);
        pieces.feed(d, cut, d.length - cut);
        assertEquals(expected, describe(pieces.end()), cut + " then the rest: " + new String(d, UTF8));
      }
    }
    assertTrue(early > 1000, early + " documents ending their root value");
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  /** The document followed by something: another document, a partial token, an open string, garbage. */
  private static byte[] trailing(byte[] d, Random random) {
    String[] tails = {" {}", "{\"a\":1}", " tru", " \"ab}", " [", " 12", "\n\n", " x", "\"", "}", " {\"id\":\""};
    byte[] tail = tails[random.nextInt(tails.length)].getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[d.length + tail.length];
    System.arraycopy(d, 0, out, 0, d.length);
    System.arraycopy(tail, 0, out, d.length, tail.length);
    return out;
  }

  @Test
  void aParserIsReplacedAfterItsInputBudgetAndKeepsReading() {
    byte[] valid = JsonTreeOracleTest.bytes(JsonTreeOracleTest.DOCUMENTS[1]);
    long rounds = ReusedJsonParser.RETIRE_AFTER_BYTES / valid.length * 3;
    java.util.Set<Object> parsers = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (long i = 0; i < rounds; i++) {
      JsonValue v = ReusedJsonParser.parse(JsonTreeReaderAccess.factory(), valid, 0, valid.length,
          JsonLimits.defaults());
      assertNotNull(v);
      assertEquals("chatcmpl-1", v.path("id").asText(null));
      assertNotNull(ReusedJsonParser.idleParser(), "a clean document leaves the parser open for the next");
      parsers.add(ReusedJsonParser.idleParser());
      assertTrue(ReusedJsonParser.idleFed() <= ReusedJsonParser.RETIRE_AFTER_BYTES + valid.length,
          ReusedJsonParser.idleFed() + " bytes fed to one parser");
    }
    assertTrue(parsers.size() >= 3, parsers.size() + " parsers for " + rounds * valid.length + " bytes");
  }

  @Test
  void theIdleParserHoldsNoneOfTheCallersBytes() throws Exception {
    byte[] valid = JsonTreeOracleTest.bytes(JsonTreeOracleTest.DOCUMENTS[1]);
    byte[] callers = new byte[1 << 20];
    System.arraycopy(valid, 0, callers, 100, valid.length);
    java.lang.ref.WeakReference<byte[]> ref = new java.lang.ref.WeakReference<>(callers);
    assertNotNull(ReusedJsonParser.parse(JsonTreeReaderAccess.factory(), callers, 100, valid.length,
        JsonLimits.defaults()));
    assertNotNull(ReusedJsonParser.idleParser(), "the parser stays open for the next document");
    callers = null;
    for (int i = 0; i < 50 && ref.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertTrue(ref.get() == null, "the idle parser still holds the caller's array");
    // and it still reads the next document
    JsonValue next = ReusedJsonParser.parse(JsonTreeReaderAccess.factory(), valid, 0, valid.length,
        JsonLimits.defaults());
    assertEquals("chatcmpl-1", next.path("id").asText(null));
  }

  @Test
  void threadsParsingAtOnceEachGetTheirOwnDocumentsTree() throws Exception {
    List<byte[]> documents = recordedDocuments();
    List<String> expected = new ArrayList<>();
    for (byte[] d : documents) expected.add(describe(JsonTreeReader.parseOnePass(d, 0, d.length, LIMITS[4])));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        results.add(pool.submit(() -> {
          Random random = new Random(seed);
          int wrong = 0;
          for (int i = 0; i < 3000; i++) {
            int n = random.nextInt(documents.size());
            byte[] d = documents.get(n);
            if (!expected.get(n).equals(describe(JsonTreeReader.parse(d, 0, d.length, LIMITS[4])))) wrong++;
          }
          return wrong;
        }));
      }
      for (java.util.concurrent.Future<Integer> r : results) assertEquals(0, r.get().intValue());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void documentsPastItsSizeOrNotStartingAContainerAreLeftToTheOnePassParse() {
    byte[] big = ("{\"s\":\"" + "x".repeat(ReusedJsonParser.MAX_DOCUMENT_BYTES) + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    assertEquals(null, ReusedJsonParser.parse(JsonTreeReaderAccess.factory(), big, 0, big.length,
        JsonLimits.defaults()));
    assertEquals(ReusedJsonParser.MAX_DOCUMENT_BYTES,
        JsonTreeReader.parse(big, 0, big.length, JsonLimits.defaults()).path("s").size());
    for (String scalar : new String[] {"42", "\"s\"", "true", " null", "\u00ef\u00bb\u00bf{\"bom\":1}", ""}) {
      byte[] b = JsonTreeOracleTest.bytes(scalar);
      assertEquals(null, ReusedJsonParser.parse(JsonTreeReaderAccess.factory(), b, 0, b.length,
          JsonLimits.defaults()), scalar);
    }
  }
}
