package dev.llmotel.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmotel.testkit.dialect.DialectRecordings;
import dev.llmotel.testkit.dialect.FactsSnapshot;
import dev.llmotel.testkit.dialect.Recording;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The recorded exchanges under {@code src/test/resources/recordings/}, replayed through the dialect at every split of
 * their bodies (each must give its {@code expected.json}), then cut and corrupted (the session must never throw).
 * The 2 MB one under {@code recordings-large/} is replayed whole and in pieces of a few sizes only: the kit's
 * sampled splits would replay its 2 MB some 12,000 times (over a minute on a build machine).
 */
class AnthropicRecordingsTest {
  private static final DialectRecordings RECORDINGS = DialectRecordings.load();

  @TestFactory
  Stream<DynamicNode> expectedFactsAtEverySplit() {
    return RECORDINGS.replay(new AnthropicDialect());
  }

  @TestFactory
  Stream<DynamicNode> cutAndCorruptedBodies() {
    return RECORDINGS.robustness(new AnthropicDialect());
  }

  @Test
  void aTwoMegabyteEventIsCountedUnreadAndTheRestOfTheStreamRead() throws Exception {
    Recording huge = Recording.load(Path.of(getClass().getResource("/recordings-large/huge-event-2mb").toURI()));
    assertEquals(huge.expected(), FactsSnapshot.of(huge.replay(new AnthropicDialect())), "whole");
    for (int piece : new int[] {1, 7, 4096, 65536}) {
      assertEquals(huge.expected(), FactsSnapshot.of(AnthropicSessionTest.replay(huge, huge.context(), piece)),
          "in pieces of " + piece + " bytes");
    }
  }
}
