package dev.llmotel.dialect.bedrock;

import dev.llmotel.testkit.dialect.DialectRecordings;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The recorded exchanges under {@code src/test/resources/recordings/} (binary AWS event streams included), replayed
 * through the dialect at every split of their bodies (each must give its {@code expected.json}), then cut and
 * corrupted (the session must never throw).
 */
class BedrockRecordingsTest {
  private static final DialectRecordings RECORDINGS = DialectRecordings.load();

  @TestFactory
  Stream<DynamicNode> expectedFactsAtEverySplit() {
    return RECORDINGS.replay(new BedrockDialect());
  }

  @TestFactory
  Stream<DynamicNode> cutAndCorruptedBodies() {
    return RECORDINGS.robustness(new BedrockDialect());
  }
}
