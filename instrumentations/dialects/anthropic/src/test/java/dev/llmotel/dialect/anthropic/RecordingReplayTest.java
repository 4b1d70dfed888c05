package dev.llmotel.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every recording replayed through {@link dev.llmotel.dialect.DialectCall}: whole, byte by byte, and cut in two at
 * every byte boundary of each body (past 64 KiB: the first and last KiB, where the events around a big one are, and 128 spread boundaries), each time giving the facts of its
 * {@code expected.json}. A stand-in until the dialect kit does this for every dialect.
 */
class RecordingReplayTest {
  private static final int ALL_SPLITS_UP_TO = 64 * 1024;

  static List<Recording> recordings() throws IOException, URISyntaxException {
    Path dir = Path.of(RecordingReplayTest.class.getResource("/recordings").toURI());
    try (Stream<Path> cases = Files.list(dir)) {
      return cases.filter(Files::isDirectory).sorted().map(Recording::read).toList();
    }
  }

  @TestFactory
  Stream<DynamicNode> replays() throws IOException, URISyntaxException {
    return recordings().stream().map(r -> DynamicContainer.dynamicContainer(r.name(), Stream.of(
        DynamicTest.dynamicTest("whole", () -> check(r, "whole", r.replayWhole(context(r)))),
        DynamicTest.dynamicTest("byte by byte", () -> check(r, "byte by byte",
            r.replay(context(r), every(r.requestBody().length), every(r.responseBody().length)))),
        DynamicTest.dynamicTest("request cut in two anywhere", () -> {
          int n = r.requestBody().length;
          for (int p : splits(n)) check(r, "request cut at " + p, r.replay(context(r), new int[] {0, p, n},
              new int[] {0, r.responseBody().length}));
        }),
        DynamicTest.dynamicTest("response cut in two anywhere", () -> {
          int n = r.responseBody().length;
          for (int p : splits(n)) check(r, "response cut at " + p, r.replay(context(r),
              new int[] {0, r.requestBody().length}, new int[] {0, p, n}));
        }))));
  }

  private static DialectContext context(Recording r) {
    return r.context(r.captureContent());
  }

  private static void check(Recording r, String how, CallFacts facts) {
    JsonNode actual = Recording.factsJson(facts);
    if (!Recording.sameJson(r.expected(), actual)) {
      fail(r.name() + ", " + how + ":\nexpected " + r.expected().toPrettyString() + "\nactual   "
          + actual.toPrettyString());
    }
  }

  private static int[] every(int length) {
    return IntStream.rangeClosed(0, length).toArray();
  }

  /** Every boundary of a small body; of a large one, the first and last KiB and 128 spread in between. */
  private static int[] splits(int length) {
    if (length <= ALL_SPLITS_UP_TO) return IntStream.rangeClosed(0, length).toArray();
    int edge = 1024;
    int step = Math.max(1, length / 128);
    return IntStream.concat(IntStream.concat(IntStream.range(0, edge),
        IntStream.iterate(edge, p -> p < length - edge, p -> p + step)),
        IntStream.rangeClosed(length - edge, length)).toArray();
  }
}
