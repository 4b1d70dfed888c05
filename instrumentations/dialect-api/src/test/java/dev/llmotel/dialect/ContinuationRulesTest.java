package dev.llmotel.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmotel.exchange.StreamOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContinuationRulesTest {
  private static CallFacts opened() {
    CallFacts call = new CallFacts();
    call.continuation.opens();
    call.request.model = "m";
    call.request.providerName = "fallback";
    call.response.httpStatus = 200;
    call.response.putExtra("x.completed", false);
    return call;
  }

  @Test
  void keysAreBoundedAndUnique() {
    ContinuationFacts c = new ContinuationFacts();
    c.continues(null);
    c.addKey("a");
    c.addKey("a");
    c.addKey("");
    c.addKey("b");
    c.addKey("c");
    assertEquals(List.of("a", "b"), c.keys());
    assertEquals(ContinuationFacts.Role.CONTINUES, c.role());
  }

  @Test
  void aPartsFactsJoinTheCallsButItsErrorOnlyWhenItEndsIt() {
    CallFacts call = opened();
    CallFacts poll = new CallFacts();
    poll.continuation.continues("k");
    poll.response.httpStatus = 503;
    poll.response.errorType = "503";
    ContinuationRules.merge(call, poll);
    assertNull(call.response.errorType, "a failed poll is followed by another");
    assertEquals(200, call.response.httpStatus);

    CallFacts stream = new CallFacts();
    stream.continuation.continues("k");
    stream.response.eventStream = true;
    stream.stream.streamed = true;
    stream.stream.setBytesArrivedNanos(1_000);
    stream.stream.chunkArrived();
    stream.stream.setBytesArrivedNanos(2_000);
    stream.stream.chunkArrived();
    stream.usage.inputTokens = 5;
    stream.response.model = "m-2024";
    stream.response.id = "r1";
    stream.request.providerName = "real";
    stream.response.putExtra("x.completed", true);
    stream.stream.outcome = StreamOutcome.TRUNCATED;
    stream.response.errorType = "stream_truncated";
    stream.continuation.end();
    ContinuationRules.merge(call, stream);
    assertEquals(5, call.usage.inputTokens);
    assertEquals(-1, call.usage.outputTokens);
    assertEquals("m-2024", call.response.model);
    assertEquals("m", call.request.model, "what was asked stays the opener's");
    assertEquals("real", call.request.providerName, "a later exchange names the provider that served the call");
    assertEquals("r1", call.response.id);
    assertEquals(true, call.response.extra().get("x.completed"));
    assertEquals(2, call.stream.chunkCount);
    assertEquals(1_000, call.stream.firstChunkNanos);
    assertEquals(2_000, call.stream.lastChunkNanos);
    assertEquals(StreamOutcome.TRUNCATED, call.stream.outcome);
    assertEquals("stream_truncated", call.response.errorType);
    assertEquals(200, call.response.httpStatus);
  }

  @Test
  void anUnfinishedCallIsMarked() {
    CallFacts idle = opened();
    ContinuationRules.unfinished(idle, ContinuationRules.IDLE_LIMIT, "not continued within 10 ms");
    assertEquals("timeout", idle.response.errorType);
    assertEquals("idle_limit", idle.response.extra().get(ContinuationRules.END_ATTRIBUTE));
    CallFacts exit = opened();
    ContinuationRules.unfinished(exit, ContinuationRules.SHUTDOWN, "exit");
    assertEquals("unfinished", exit.response.errorType);
    CallFacts failed = opened();
    failed.response.errorType = "aborted";
    ContinuationRules.unfinished(failed, ContinuationRules.CAPACITY, "full");
    assertEquals("aborted", failed.response.errorType, "an error already known stays");
  }
}
