package dev.llmotel.testkit.dialect;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.exchange.StreamOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kit against a toy protocol: on {@code POST /toy}, the request body {@code model=NAME}; an event-stream response
 * in which each 'x' is a chunk and '$' the end marker; a plain response whose text is the response id. Broken
 * variants of its dialect must each be caught.
 */
class DialectRecordingsTest {
  enum Bug { NONE, DECODES_EACH_PIECE, IGNORES_OFFSET, KEEPS_THE_BUFFER, THROWS_ON_A_CHUNK, SETS_ITS_OWN_OUTCOME }

  static final class ToyDialect implements Dialect {
    final Bug bug;

    ToyDialect(Bug bug) {
      this.bug = bug;
    }

    @Override public String name() { return "toy"; }

    @Override public int precedence() { return SPECIFIC; }

    @Override
    public DialectSession open(ExchangeRequest request, DialectContext context) {
      return "POST".equals(request.method()) && request.path().equals("/toy") ? new ToySession(bug) : null;
    }
  }

  static final class ToySession implements DialectSession {
    final Bug bug;
    final CallFacts facts = new CallFacts();
    final ByteArrayOutputStream request = new ByteArrayOutputStream();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    final StringBuilder decoded = new StringBuilder();
    final List<byte[]> keptBuffers = new ArrayList<>();
    final List<int[]> keptRanges = new ArrayList<>();

    ToySession(Bug bug) {
      this.bug = bug;
    }

    @Override public CallFacts facts() { return facts; }

    @Override
    public void onRequestBody(byte[] bytes, int offset, int length) {
      request.write(bytes, offset, length);
    }

    @Override
    public void onRequestBodyEnd() {
      String text = request.toString(StandardCharsets.UTF_8);
      if (text.startsWith("model=")) facts.request.model = text.substring(6);
    }

    @Override
    public void onResponse(int statusCode, HeaderLookup headers) {}

    @Override
    public void onResponseBody(byte[] bytes, int offset, int length) {
      int from = bug == Bug.IGNORES_OFFSET ? 0 : offset;
      if (!facts.response.eventStream) {
        if (bug == Bug.DECODES_EACH_PIECE) decoded.append(new String(bytes, from, length, StandardCharsets.UTF_8));
        if (bug == Bug.KEEPS_THE_BUFFER) {
          keptBuffers.add(bytes);
          keptRanges.add(new int[] {from, length});
        }
        body.write(bytes, from, length);
        return;
      }
      for (int i = from; i < from + length && !facts.stream.endMarked(); i++) {
        if (bytes[i] == 'x') {
          if (bug == Bug.THROWS_ON_A_CHUNK) throw new IllegalStateException("toy bug");
          facts.stream.chunkArrived();
        }
        if (bytes[i] == '$') facts.stream.markEnd();
      }
    }

    @Override
    public void onResponseEnd(boolean complete) {
      if (facts.response.eventStream) {
        if (bug == Bug.SETS_ITS_OWN_OUTCOME && !facts.stream.endMarked()) facts.stream.outcome = StreamOutcome.ABANDONED;
        return;
      }
      String text = body.toString(StandardCharsets.UTF_8);
      if (bug == Bug.DECODES_EACH_PIECE) text = decoded.toString();
      if (bug == Bug.KEEPS_THE_BUFFER) {
        ByteArrayOutputStream late = new ByteArrayOutputStream();
        for (int i = 0; i < keptBuffers.size(); i++) late.write(keptBuffers.get(i), keptRanges.get(i)[0], keptRanges.get(i)[1]);
        text = late.toString(StandardCharsets.UTF_8);
      }
      if (!text.isEmpty()) facts.response.id = text;
    }
  }

  @TempDir Path dir;

  private void recording(String name, String contentType, String responseBody, String expected) throws IOException {
    Path d = Files.createDirectories(dir.resolve(name));
    Files.writeString(d.resolve("request.http"), "POST https://toy.example/toy\nContent-Type: text/plain\n\nmodel=toy-1");
    Files.writeString(d.resolve("response.http"), "200\nContent-Type: " + contentType + "\n\n" + responseBody);
    if (expected != null) Files.writeString(d.resolve("expected.json"), expected);
  }

  private void twoRecordings() throws IOException {
    recording("plain", "text/plain", "caf\u00e9",
        "{\"request.model\": \"toy-1\", \"response.http_status\": 200, \"response.id\": \"caf\u00e9\"}");
    recording("stream", "text/event-stream", "x.x.x$x", "{\n  \"request.model\": \"toy-1\",\n"
        + "  \"response.event_stream\": true,\n  \"response.http_status\": 200,\n  \"stream.chunk_count\": 3,\n"
        + "  \"stream.outcome\": \"completed\",\n  \"stream.streamed\": true\n}\n");
  }

  /** Runs every dynamic test; returns "container / test: message" for each that failed. */
  private static Map<String, String> failures(Stream<DynamicNode> nodes) {
    Map<String, String> failed = new LinkedHashMap<>();
    nodes.forEach(node -> run(node, "", failed));
    return failed;
  }

  private static void run(DynamicNode node, String path, Map<String, String> failed) {
    String name = path.isEmpty() ? node.getDisplayName() : path + " / " + node.getDisplayName();
    if (node instanceof DynamicContainer) {
      ((DynamicContainer) node).getChildren().forEach(child -> run(child, name, failed));
      return;
    }
    try {
      ((DynamicTest) node).getExecutable().execute();
    } catch (Throwable t) {
      failed.put(name, t.getMessage());
    }
  }

  private static int count(Stream<DynamicNode> nodes) {
    return nodes.mapToInt(n -> n instanceof DynamicContainer
        ? count(((DynamicContainer) n).getChildren().map(c -> (DynamicNode) c)) : 1).sum();
  }

  @Test
  void aCorrectDialectPassesEveryReplay() throws IOException {
    twoRecordings();
    DialectRecordings recordings = DialectRecordings.load(dir);
    assertEquals(List.of("plain", "stream"), recordings.recordings().stream().map(Recording::name).toList());
    assertEquals(Map.of(), failures(recordings.replay(new ToyDialect(Bug.NONE))));
    assertEquals(Map.of(), failures(recordings.robustness(new ToyDialect(Bug.NONE))));
    assertEquals(8, count(recordings.replay(new ToyDialect(Bug.NONE))), "whole, in two, byte by byte, request in two");
    assertEquals(4, count(recordings.robustness(new ToyDialect(Bug.NONE))), "cut, corrupted");
  }

  @Test
  void aDialectThatDecodesEachPieceFailsWhereAMultiByteCharacterIsSplit() throws IOException {
    twoRecordings();
    Map<String, String> failed = failures(DialectRecordings.load(dir).replay(new ToyDialect(Bug.DECODES_EACH_PIECE)));
    assertEquals(List.of("plain / response in two at every byte boundary (4 replays)",
        "plain / bodies one byte at a time"), List.copyOf(failed.keySet()));
    String message = failed.get("plain / response in two at every byte boundary (4 replays)");
    assertTrue(message.startsWith("plain: 1 of 4 replays differ from expected.json (response cut in two at byte 4);"
        + " at byte 4:\n  differs response.id: expected \"caf\u00e9\" but was \"caf\ufffd\ufffd\""), message);
  }

  @Test
  void aDialectThatReadsOutsideItsPieceOrKeepsTheBufferIsCaught() throws IOException {
    twoRecordings();
    Map<String, String> offset = failures(DialectRecordings.load(dir).replay(new ToyDialect(Bug.IGNORES_OFFSET)));
    assertTrue(offset.containsKey("plain / bodies whole"), offset.toString());
    assertTrue(offset.containsKey("stream / bodies whole"), offset.toString());
    Map<String, String> kept = failures(DialectRecordings.load(dir).replay(new ToyDialect(Bug.KEEPS_THE_BUFFER)));
    assertTrue(kept.get("plain / bodies whole").contains("but was \"#####\""), kept.toString());
  }

  @Test
  void aSessionThatThrowsFailsThoughDialectCallHidesIt() throws IOException {
    twoRecordings();
    DialectRecordings recordings = DialectRecordings.load(dir);
    Map<String, String> replay = failures(recordings.replay(new ToyDialect(Bug.THROWS_ON_A_CHUNK)));
    assertTrue(replay.get("stream / bodies whole").startsWith("the session threw in onResponseBody"), replay.toString());
    assertFalse(replay.keySet().stream().anyMatch(k -> k.startsWith("plain")), replay.toString());
    Map<String, String> robustness = failures(recordings.robustness(new ToyDialect(Bug.THROWS_ON_A_CHUNK)));
    assertTrue(robustness.get("stream / response cut at every byte boundary, read to its end (7 replays)")
        .startsWith("stream: 6 of 7 replays failed:\ncut at byte 1: the session threw in onResponseBody"),
        robustness.toString());
  }

  @Test
  void robustnessWantsAStreamReadToItsEndToEndTruncatedOrCompleted() throws IOException {
    twoRecordings();
    Map<String, String> failed = failures(DialectRecordings.load(dir).robustness(
        new ToyDialect(Bug.SETS_ITS_OWN_OUTCOME)));
    String cut = failed.get("stream / response cut at every byte boundary, read to its end (7 replays)");
    assertTrue(cut.startsWith("stream: 6 of 7 replays failed:\ncut at byte 0: an event stream read to its end ended"
        + " abandoned, not truncated or completed"), cut);
    assertFalse(failed.keySet().stream().anyMatch(k -> k.startsWith("plain")), failed.toString());
  }

  @Test
  void aRecordingWithoutExpectedFactsFailsShowingTheFactsToCheck() throws IOException {
    recording("new-case", "text/event-stream", "xx$", null);
    Map<String, String> failed = failures(DialectRecordings.load(dir).replay(new ToyDialect(Bug.NONE)));
    String message = failed.get("new-case / bodies whole");
    assertTrue(message.startsWith("new-case has no expected.json."), message);
    assertTrue(message.endsWith("{\n  \"request.model\": \"toy-1\",\n  \"response.event_stream\": true,\n"
        + "  \"response.http_status\": 200,\n  \"stream.chunk_count\": 2,\n  \"stream.outcome\": \"completed\",\n"
        + "  \"stream.streamed\": true\n}\n"), message);
  }

  @Test
  void aBrokenRecordingOrAnUnclaimedRequestFailsItsOwnTests() throws IOException {
    twoRecordings();
    Path broken = Files.createDirectories(dir.resolve("broken"));
    Files.writeString(broken.resolve("request.http"), "POST https://toy.example/toy\n\n");
    Map<String, String> failed = failures(DialectRecordings.load(dir).replay(new ToyDialect(Bug.NONE)));
    assertEquals(List.of("broken / read the recording"), List.copyOf(failed.keySet()));
    assertTrue(failed.get("broken / read the recording").startsWith("recording broken cannot be read"));

    Path other = Files.createDirectories(dir.resolve("other-route"));
    Files.writeString(other.resolve("request.http"), "POST https://toy.example/elsewhere\n\n");
    Files.writeString(other.resolve("response.http"), "200\n\n");
    Files.writeString(other.resolve("expected.json"), "{}");
    failed = failures(DialectRecordings.load(dir).replay(new ToyDialect(Bug.NONE)));
    assertTrue(failed.get("other-route / bodies whole").startsWith("the dialect 'toy' does not claim this request"),
        failed.toString());
  }

  @Test
  void boundariesAreAllOfThemUpTo64KiBThenSampled() {
    assertArrayEquals(new int[0], DialectRecordings.boundaries(0));
    assertArrayEquals(new int[0], DialectRecordings.boundaries(1));
    assertArrayEquals(new int[] {1, 2, 3}, DialectRecordings.boundaries(4));
    assertEquals(65535, DialectRecordings.boundaries(65536).length);
    int[] sampled = DialectRecordings.boundaries(1_000_000);
    assertTrue(sampled.length <= 3 * 4096 && sampled.length > 3 * 4096 - 10, "length " + sampled.length);
    assertArrayEquals(Arrays.stream(sampled).sorted().distinct().toArray(), sampled);
    assertEquals(1, sampled[0]);
    assertEquals(4096, sampled[4095]);
    assertEquals(999_999, sampled[sampled.length - 1]);
    assertEquals(1_000_000 - 4096, sampled[sampled.length - 4096]);
  }
}
