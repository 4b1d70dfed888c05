package dev.llmotel.testkit.dialect;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.Dialect;
import dev.llmotel.exchange.StreamOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * The recordings of one directory (by default the test class path's {@code recordings/}, i.e. a dialect module's
 * {@code src/test/resources/recordings/}), one {@link Recording} per sub-directory, turned into JUnit 5 dynamic tests
 * for a {@code @TestFactory}:
 *
 * <pre>{@code
 * class OpenAiRecordingsTest {
 *   private static final DialectRecordings RECORDINGS = DialectRecordings.load();
 *
 *   @TestFactory Stream<DynamicNode> expectedFactsAtEverySplit() { return RECORDINGS.replay(new OpenAiDialect()); }
 *   @TestFactory Stream<DynamicNode> cutAndCorruptedBodies() { return RECORDINGS.robustness(new OpenAiDialect()); }
 * }
 * }</pre>
 *
 * <p>{@link #replay} checks that every way of cutting the bodies into pieces gives exactly the recording's expected
 * facts: the bodies whole; the response body in two pieces at every byte boundary; both bodies one byte at a time;
 * and, for a request body under 4 KiB, the request body in two pieces at every byte boundary (one dynamic test per
 * way, which lists the failing boundaries). Each replay feeds the dialect as the agent does, through
 * {@link dev.llmotel.dialect.DialectCall} (so the protocol-neutral rules are part of what is checked): the request
 * body, its end, status and headers, the response body's pieces until {@code responseBody} reports the end marker,
 * then the body's end ({@link Recording#complete()}). Each piece sits in a buffer of its own at an offset, between
 * guard bytes, and is overwritten once fed: a session that reads outside its piece or keeps the buffer shows up as
 * wrong facts. A response body over 64 KiB is cut at every boundary within
 * its first and last 4 KiB and at 4,096 evenly spaced boundaries in between, not at all of them (the replays of all
 * boundaries grow with the square of the size).
 *
 * <p>{@link #robustness} replays each recording with its response body cut at every byte boundary (sampled as above
 * over 64 KiB) and read to its end, and with one byte replaced by a random one at {@value #CORRUPTIONS} random
 * positions (seeded by the recording's name, so a failure repeats): the session must never throw, and an event
 * stream must end {@code truncated} or {@code completed}; any other facts are accepted.
 *
 * <p>A recording without {@code expected.json} fails, printing the facts the dialect gives: check each value against
 * the payload before saving them as its {@code expected.json}.
 */
public final class DialectRecordings {
  /** Default directory on the test class path. */
  public static final String DEFAULT_DIRECTORY = "recordings";
  /** Bodies up to this size are cut at every byte boundary. */
  static final int ALL_BOUNDARIES_UP_TO = 64 * 1024;
  /** Over {@link #ALL_BOUNDARIES_UP_TO}: every boundary this close to either end, and as many in between. */
  static final int SAMPLED_EDGE = 4096;
  /** Request bodies under this size are also cut at every byte boundary. */
  static final int REQUEST_SPLIT_UNDER = 4096;
  /** Positions corrupted per recording by {@link #robustness}. */
  static final int CORRUPTIONS = 256;
  private static final int MAX_LISTED_FAILURES = 12;

  private final List<Loaded> recordings;

  private DialectRecordings(List<Loaded> recordings) {
    this.recordings = recordings;
  }

  /** A recording, or why it could not be read. */
  private static final class Loaded {
    final String name;
    final Recording recording;
    final RuntimeException error;

    Loaded(String name, Recording recording, RuntimeException error) {
      this.name = name;
      this.recording = recording;
      this.error = error;
    }

    Recording get() {
      if (error != null) throw new AssertionError("recording " + name + " cannot be read: " + error.getMessage(), error);
      return recording;
    }
  }

  /** The recordings under {@value #DEFAULT_DIRECTORY}/ on the test class path (a directory, not inside a jar). */
  public static DialectRecordings load() {
    return load(DEFAULT_DIRECTORY);
  }

  /** The recordings under {@code resourceDirectory} on the test class path (a directory, not inside a jar). */
  public static DialectRecordings load(String resourceDirectory) {
    URL url = Thread.currentThread().getContextClassLoader().getResource(resourceDirectory);
    if (url == null) url = DialectRecordings.class.getClassLoader().getResource(resourceDirectory);
    if (url == null) {
      throw new IllegalStateException("no '" + resourceDirectory + "' on the class path (src/test/resources/"
          + resourceDirectory + "/ holds one directory per recording)");
    }
    if (!"file".equals(url.getProtocol())) {
      throw new IllegalStateException("'" + resourceDirectory + "' must be a directory, not in a jar: " + url);
    }
    try {
      return load(Paths.get(url.toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The recordings in the sub-directories of {@code directory}, by name. A recording that cannot be read becomes a
   * failing test, not an exception here.
   */
  public static DialectRecordings load(Path directory) {
    List<Loaded> loaded = new ArrayList<>();
    try (Stream<Path> children = Files.list(directory)) {
      for (Path dir : children.filter(Files::isDirectory).sorted().collect(Collectors.toList())) {
        String name = dir.getFileName().toString();
        try {
          loaded.add(new Loaded(name, Recording.load(dir), null));
        } catch (RuntimeException e) {
          loaded.add(new Loaded(name, null, e));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (loaded.isEmpty()) throw new IllegalStateException("no recordings in " + directory);
    return new DialectRecordings(loaded);
  }

  /** The recordings that could be read. */
  public List<Recording> recordings() {
    return recordings.stream().filter(l -> l.error == null).map(l -> l.recording).collect(Collectors.toList());
  }

  /** One container per recording: its expected facts checked under every split of its bodies (see the class). */
  public Stream<DynamicNode> replay(Dialect dialect) {
    return recordings.stream().map(l -> DynamicContainer.dynamicContainer(l.name, l.error != null
        ? Stream.of(DynamicTest.dynamicTest("read the recording", l::get))
        : replayTests(dialect, l.recording)));
  }

  /** One container per recording: cut and corrupted response bodies never make the session throw (see the class). */
  public Stream<DynamicNode> robustness(Dialect dialect) {
    return recordings.stream().map(l -> DynamicContainer.dynamicContainer(l.name, l.error != null
        ? Stream.of(DynamicTest.dynamicTest("read the recording", l::get))
        : robustnessTests(dialect, l.recording)));
  }

  private Stream<DynamicNode> replayTests(Dialect dialect, Recording r) {
    byte[] request = r.requestBodyShared();
    byte[] response = r.responseBodyShared();
    List<DynamicNode> tests = new ArrayList<>();
    tests.add(DynamicTest.dynamicTest("bodies whole", () -> {
      SortedMap<String, Object> expected = expected(dialect, r, true);
      check(expected, Replay.run(dialect, r, Replay.WHOLE, response, Replay.WHOLE, r.complete()), r, "bodies whole");
    }));
    int[] boundaries = boundaries(response.length);
    String every = response.length > ALL_BOUNDARIES_UP_TO ? "at " + boundaries.length + " sampled byte boundaries"
        : "at every byte boundary";
    tests.add(DynamicTest.dynamicTest("response in two " + every + " (" + boundaries.length + " replays)", () -> {
      SortedMap<String, Object> expected = expected(dialect, r, false);
      Failures failures = new Failures(r, "response cut in two at byte");
      for (int at : boundaries) {
        failures.check(at, expected, () -> Replay.run(dialect, r, Replay.WHOLE, response, new int[] {at},
            r.complete()));
      }
      failures.report(boundaries.length);
    }));
    tests.add(DynamicTest.dynamicTest("bodies one byte at a time", () -> {
      SortedMap<String, Object> expected = expected(dialect, r, false);
      check(expected, Replay.run(dialect, r, Replay.EVERY_BYTE, response, Replay.EVERY_BYTE, r.complete()), r,
          "bodies one byte at a time");
    }));
    if (request.length > 1 && request.length < REQUEST_SPLIT_UNDER) {
      tests.add(DynamicTest.dynamicTest("request in two at every byte boundary (" + (request.length - 1)
          + " replays)", () -> {
            SortedMap<String, Object> expected = expected(dialect, r, false);
            Failures failures = new Failures(r, "request cut in two at byte");
            for (int at = 1; at < request.length; at++) {
              int cut = at;
              failures.check(at, expected, () -> Replay.run(dialect, r, new int[] {cut}, response, Replay.WHOLE,
                  r.complete()));
            }
            failures.report(request.length - 1);
          }));
    }
    return tests.stream();
  }

  private Stream<DynamicNode> robustnessTests(Dialect dialect, Recording r) {
    byte[] response = r.responseBodyShared();
    int[] boundaries = boundaries(response.length);
    List<DynamicNode> tests = new ArrayList<>();
    String every = response.length > ALL_BOUNDARIES_UP_TO ? "at " + boundaries.length + " sampled byte boundaries"
        : "at every byte boundary";
    tests.add(DynamicTest.dynamicTest("response cut " + every + ", read to its end (" + (boundaries.length + 1)
        + " replays)", () -> {
          Robustness robustness = new Robustness(r);
          for (int at : withZero(boundaries)) {
            robustness.check(dialect, Arrays.copyOf(response, at), at / 2, "cut at byte " + at);
          }
          robustness.report();
        }));
    if (response.length > 0) {
      int positions = Math.min(CORRUPTIONS, response.length);
      tests.add(DynamicTest.dynamicTest("one byte corrupted at " + positions + " random positions", () -> {
        Random random = new Random(r.name().hashCode());
        Robustness robustness = new Robustness(r);
        for (int i = 0; i < positions; i++) {
          int at = random.nextInt(response.length);
          byte[] corrupted = response.clone();
          byte replacement;
          do {
            replacement = (byte) random.nextInt(256);
          } while (replacement == corrupted[at]);
          corrupted[at] = replacement;
          int split = random.nextInt(response.length + 1);
          robustness.check(dialect, corrupted, split, String.format("byte %d: 0x%02x -> 0x%02x, fed in two at %d",
              at, response[at] & 0xff, replacement & 0xff, split));
        }
        robustness.report();
      }));
    }
    return tests.stream();
  }

  /** Replays of damaged response bodies: the session never throws, an event stream ends truncated or completed. */
  private static final class Robustness {
    private final Recording recording;
    private final List<String> failures = new ArrayList<>();
    private AssertionError first;
    private int replays;

    Robustness(Recording recording) {
      this.recording = recording;
    }

    void check(Dialect dialect, byte[] body, int splitAt, String what) {
      replays++;
      CallFacts facts;
      try {
        facts = Replay.run(dialect, recording, Replay.WHOLE, body, new int[] {splitAt}, true);
      } catch (AssertionError e) {
        if (first == null) first = e;
        failures.add(what + ": " + e.getMessage());
        return;
      }
      StreamOutcome outcome = facts.stream.outcome;
      if (facts.response.eventStream && outcome != StreamOutcome.TRUNCATED && outcome != StreamOutcome.COMPLETED) {
        failures.add(what + ": an event stream read to its end ended " + (outcome == null ? "without an outcome"
            : outcome.value()) + ", not truncated or completed");
      }
    }

    void report() {
      if (failures.isEmpty()) return;
      AssertionError error = new AssertionError(recording.name() + ": " + failures.size() + " of " + replays
          + " replays failed:\n" + String.join("\n", failures.subList(0, Math.min(failures.size(),
          MAX_LISTED_FAILURES))) + (failures.size() > MAX_LISTED_FAILURES ? "\n..." : ""), first);
      throw error;
    }
  }

  /** The whole-body replay prints the facts to check when there is no expected.json; the other replays just fail. */
  private static SortedMap<String, Object> expected(Dialect dialect, Recording r, boolean printFacts) {
    if (r.expected() != null) return r.expected();
    if (!printFacts) {
      throw new AssertionError(r.name() + " has no " + Recording.EXPECTED + " (see its 'bodies whole' test)");
    }
    String facts = FactsSnapshot.toJson(FactsSnapshot.of(
        Replay.run(dialect, r, Replay.WHOLE, r.responseBodyShared(), Replay.WHOLE, r.complete())));
    throw new AssertionError(r.name() + " has no " + Recording.EXPECTED + ". The dialect gives the facts below;"
        + " check each value against the payload before saving them as " + Recording.EXPECTED + " in the"
        + " recording's source folder (src/test/resources/.../" + r.name() + "/):\n" + facts);
  }

  private static void check(SortedMap<String, Object> expected, CallFacts facts, Recording r, String how) {
    String diff = FactsSnapshot.diff(expected, FactsSnapshot.of(facts));
    if (!diff.isEmpty()) {
      throw new AssertionError(r.name() + ", " + how + ": the facts differ from " + Recording.EXPECTED + ":\n" + diff);
    }
  }

  /** The boundaries (1 .. length-1) a body is cut at: all of them, or a sample over {@link #ALL_BOUNDARIES_UP_TO}. */
  static int[] boundaries(int length) {
    if (length <= 1) return new int[0];
    if (length <= ALL_BOUNDARIES_UP_TO) {
      int[] all = new int[length - 1];
      for (int i = 0; i < all.length; i++) all[i] = i + 1;
      return all;
    }
    int middle = length - 2 * SAMPLED_EDGE;
    int[] sample = new int[3 * SAMPLED_EDGE - 1];
    int n = 0;
    for (int at = 1; at <= SAMPLED_EDGE; at++) sample[n++] = at;
    for (int i = 1; i < SAMPLED_EDGE; i++) sample[n++] = SAMPLED_EDGE + (int) ((long) middle * i / SAMPLED_EDGE);
    for (int at = length - SAMPLED_EDGE; at < length; at++) sample[n++] = at;
    return Arrays.stream(sample, 0, n).distinct().sorted().toArray();
  }

  private static int[] withZero(int[] boundaries) {
    int[] all = new int[boundaries.length + 1];
    System.arraycopy(boundaries, 0, all, 1, boundaries.length);
    return all;
  }

  /** The failing cuts of a run of replays, reported together: the first one's diff, then the other positions. */
  private static final class Failures {
    private final Recording recording;
    private final String what;
    private final List<Integer> positions = new ArrayList<>();
    private String firstDiff;
    private AssertionError firstError;

    Failures(Recording recording, String what) {
      this.recording = recording;
      this.what = what;
    }

    void check(int at, Map<String, Object> expected, Supplier<CallFacts> replay) {
      String diff;
      try {
        diff = FactsSnapshot.diff(expected, FactsSnapshot.of(replay.get()));
      } catch (AssertionError e) {
        diff = "  " + e.getMessage() + "\n";
        if (firstError == null) firstError = e;
      }
      if (diff.isEmpty()) return;
      if (firstDiff == null) firstDiff = diff;
      positions.add(at);
    }

    void report(int replays) {
      if (positions.isEmpty()) return;
      String listed = positions.stream().limit(50).map(String::valueOf).collect(Collectors.joining(", "))
          + (positions.size() > 50 ? ", ..." : "");
      throw new AssertionError(recording.name() + ": " + positions.size() + " of " + replays + " replays differ from "
          + Recording.EXPECTED + " (" + what + " " + listed + "); at byte " + positions.get(0) + ":\n" + firstDiff,
          firstError);
    }
  }
}
