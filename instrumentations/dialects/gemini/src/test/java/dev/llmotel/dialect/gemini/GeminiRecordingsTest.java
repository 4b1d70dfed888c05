package dev.llmotel.dialect.gemini;

import dev.llmotel.testkit.dialect.DialectRecordings;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The recorded exchanges under {@code src/test/resources/recordings/}, replayed through the dialect at every split of
 * their bodies (each must give its {@code expected.json}; SSE chunks then arrive cut across reads), then cut and
 * corrupted (the session must never throw).
 */
class GeminiRecordingsTest {
  private static final DialectRecordings RECORDINGS = DialectRecordings.load();

  @TestFactory
  Stream<DynamicNode> expectedFactsAtEverySplit() {
    return RECORDINGS.replay(new GeminiDialect());
  }

  @TestFactory
  Stream<DynamicNode> cutAndCorruptedBodies() {
    return RECORDINGS.robustness(new GeminiDialect());
  }
}
