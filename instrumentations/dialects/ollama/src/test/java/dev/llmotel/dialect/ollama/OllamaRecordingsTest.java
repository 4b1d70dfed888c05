package dev.llmotel.dialect.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectCall;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every recording under {@code src/test/resources/recordings} through {@link DialectCall}, as the agent
 * drives a session: bodies whole, then split in two at every byte of the response body (so NDJSON lines arrive cut
 * across reads) and at every byte of the request body; each replay must give exactly the facts of
 * {@code expected.json}. Interim: the dialect test kit's {@code DialectRecordings} replaces it once merged.
 */
class OllamaRecordingsTest {
  /** The agent's default content limit (otel.instrumentation.llm.content.max-chars). */
  static final int CONTENT_MAX_CHARS = 8192;

  @TestFactory
  Stream<DynamicTest> everyRecordingAtEverySplit() throws IOException, URISyntaxException {
    Path root = Path.of(OllamaRecordingsTest.class.getResource("/recordings").toURI());
    List<Path> dirs;
    try (Stream<Path> children = Files.list(root)) {
      dirs = children.filter(Files::isDirectory).sorted().toList();
    }
    assertTrue(dirs.size() >= 13, "recordings found: " + dirs);
    return dirs.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> replay(dir)));
  }

  private static void replay(Path dir) throws IOException {
    Recording r = Recording.read(dir);
    Map<String, Object> expected = RecordedFacts.expected(r.expectedJson());
    int requestLength = r.requestBody().length;
    int responseLength = r.responseBody().length;
    assertEquals(expected, facts(r, requestLength, responseLength), r + ": bodies whole");
    for (int at = 0; at < responseLength; at++) {
      Map<String, Object> actual = facts(r, requestLength, at);
      if (!expected.equals(actual)) assertEquals(expected, actual, r + ": response body split at byte " + at);
    }
    for (int at = 0; at < requestLength; at++) {
      Map<String, Object> actual = facts(r, at, responseLength);
      if (!expected.equals(actual)) assertEquals(expected, actual, r + ": request body split at byte " + at);
    }
  }

  /** One replay, each body fed in two pieces split at the given offsets. */
  static Map<String, Object> facts(Recording r, int requestSplit, int responseSplit) {
    DialectContext context = new DialectContext(1 << 20, 64L << 20, 64 * 1024, r.captureContent(),
        CONTENT_MAX_CHARS);
    DialectSession session = new OllamaDialect().open(r.request(), context);
    assertNotNull(session, r + ": the dialect must take " + r.request());
    DialectCall call = new DialectCall(session);
    feed(call, r.requestBody(), requestSplit, true);
    call.requestBodyEnd();
    call.response(r.status(), r.responseHeaders());
    if (!feed(call, r.responseBody(), responseSplit, false)) call.responseEnd(r.complete());
    CallFacts facts = call.facts();
    return RecordedFacts.of(facts);
  }

  /**
   * Feeds {@code [0, split)} then {@code [split, length)}, each piece a copy that is scribbled over afterwards (a
   * dialect must not keep the caller's buffers).
   *
   * @return true when the call ended on the protocol's end marker (the rest is not fed, as in the agent)
   */
  private static boolean feed(DialectCall call, byte[] body, int split, boolean request) {
    int[][] pieces = {{0, split}, {split, body.length}};
    for (int[] p : pieces) {
      if (p[1] <= p[0]) continue;
      byte[] piece = Arrays.copyOfRange(body, p[0], p[1]);
      boolean over = false;
      if (request) call.requestBody(0, piece, 0, piece.length);
      else over = call.responseBody(0, piece, 0, piece.length);
      Arrays.fill(piece, (byte) '#');
      if (over) return true;
    }
    return false;
  }
}
