package dev.llmotel.dialect.openairesponses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every recording under {@code src/test/resources/recordings} replayed through the dialect: bodies in one piece, and
 * the response body (then the request body) cut at every byte; each replay must give exactly the facts of its
 * {@code expected.json}.
 */
class RecordingReplayTest {
  static Path recordings() {
    try {
      return Path.of(RecordingReplayTest.class.getResource("/recordings").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyRecordingAtEverySplit() throws IOException {
    List<Recording> all = Recording.all(recordings());
    assertTrue(all.size() >= 12, "recordings found: " + all.size());
    return all.stream().map(r -> DynamicTest.dynamicTest(r.name, () -> replay(r)));
  }

  private static void replay(Recording r) {
    List<String> failures = new ArrayList<>();
    check(r, 0, 0, failures);
    for (int at = 1; at < r.responseBody.length && failures.size() < 3; at++) check(r, 0, at, failures);
    for (int at = 1; at < r.requestBody.length && failures.size() < 3; at++) check(r, at, 0, failures);
    if (!failures.isEmpty()) fail(r.name + ":\n" + String.join("\n", failures));
  }

  private static void check(Recording r, int requestSplit, int responseSplit, List<String> failures) {
    DialectSession session = new OpenAiResponsesDialect().open(r.exchangeRequest(), r.context());
    assertNotNull(session, "the dialect does not claim " + r.url);
    CallFacts facts = r.replay(session, requestSplit, responseSplit);
    String diff = r.diff(facts);
    if (!diff.isEmpty()) {
      failures.add("request cut at " + requestSplit + ", response cut at " + responseSplit + ":\n" + diff);
    }
  }

  @TestFactory
  Stream<DynamicTest> sameFactsWhateverTheContentSetting() throws IOException {
    // capture on or off changes only the content facts
    return Recording.all(recordings()).stream().filter(r -> r.captureContent).map(r -> DynamicTest.dynamicTest(
        r.name, () -> {
          CallFacts off = r.replay(new OpenAiResponsesDialect().open(r.exchangeRequest(), DialectContext.defaults()),
              0, 0);
          Map<String, Object> expected = new TreeMap<>(r.expected);
          expected.keySet().removeIf(k -> k.endsWith("_messages") || k.endsWith("system_instructions")
              || k.endsWith("tool_definitions"));
          assertEquals(Recording.canonical(expected), Recording.canonical(Recording.snapshot(off)));
        }));
  }
}
