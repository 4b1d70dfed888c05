package dev.llmotel.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The exchanges the application leaves open: ended as abandoned once idle after their response began, never while
 * they still wait for it; at exit even with no idle timeout; a bounded number watched; and one exchange's error never
 * stops the others' events.
 */
class IdleExchangeReaperTest {
  /** Records each event's kind; throws an Error for events of the kind given. */
  static final class Recording implements ExchangeHandler {
    final List<ExchangeEvent.Kind> kinds = new CopyOnWriteArrayList<>();
    final ExchangeEvent.Kind failOn;

    Recording(ExchangeEvent.Kind failOn) {
      this.failOn = failOn;
    }

    @Override public Map<String, String> propagationHeaders() { return Collections.emptyMap(); }

    @Override
    public boolean handle(ExchangeEvent event, boolean onWorkerThread) {
      kinds.add(event.kind);
      if (event.kind == failOn) throw new OutOfMemoryError("unable to create native thread (test)");
      return false;
    }
  }

  @Test
  void anExchangeStillWaitingForItsResponseIsNotReapedOneLeftAfterItIs() throws Exception {
    ExchangeQueues queues = new ExchangeQueues(ExchangeWorker.inline(), 1, 1 << 16);
    Recording waiting = new Recording(null);
    Recording left = new Recording(null);
    Exchange slow = queues.open(waiting);
    slow.requestBodyEnd();
    Exchange read = queues.open(left);
    read.requestBodyEnd();
    read.response(200, name -> null);
    read.responseBody(new byte[] {'{'}, 0, 1);
    Thread.sleep(50); // many sweeps of a 1 ms timeout (every 10 ms)
    assertEquals(ExchangeEvent.Kind.BODY_CLOSED, left.kinds.get(left.kinds.size() - 1), left.kinds.toString());
    assertTrue(waiting.kinds.stream().noneMatch(ExchangeEvent.Kind::ends), waiting.kinds.toString());
  }

  @Test
  void withNoIdleTimeoutOpenExchangesAreStillEndedAtExit() {
    ExchangeQueues queues = new ExchangeQueues(ExchangeWorker.inline(), 0, 1 << 16);
    Recording open = new Recording(null);
    Exchange ex = queues.open(open);
    ex.requestBodyEnd();
    ex.response(200, name -> null);
    queues.endAtExit(100);
    assertEquals(ExchangeEvent.Kind.BODY_CLOSED, open.kinds.get(open.kinds.size() - 1), open.kinds.toString());
  }

  @Test
  void atMostMaxTrackedAreWatched() {
    IdleExchangeReaper reaper = new IdleExchangeReaper(0);
    ExchangeWorker worker = ExchangeWorker.manual();
    for (int i = 0; i < IdleExchangeReaper.MAX_TRACKED + 100; i++) {
      reaper.track(new QueuedExchange(new Recording(null), worker, reaper, 1 << 16));
    }
    assertEquals(IdleExchangeReaper.MAX_TRACKED, reaper.tracked());
  }

  /** An error out of one event's processing (here: the handler's, out of memory) loses that event only. */
  @Test
  void anErrorOutOfTheHandlerLosesThatEventOnly() {
    ExchangeWorker worker = ExchangeWorker.manual();
    ExchangeQueues queues = new ExchangeQueues(worker, 600_000, 1 << 16);
    Recording failing = new Recording(ExchangeEvent.Kind.RESPONSE);
    Recording other = new Recording(null);
    Exchange a = queues.open(failing);
    Exchange b = queues.open(other);
    for (Exchange ex : new Exchange[] {a, b}) {
      ex.requestBodyEnd();
      ex.response(200, name -> null);
    }
    worker.drain(1000);
    for (Exchange ex : new Exchange[] {a, b}) {
      ex.responseBody(new byte[] {'x'}, 0, 1);
      ex.responseBodyEnd();
    }
    worker.drain(1000);
    List<ExchangeEvent.Kind> expected = new ArrayList<>(other.kinds);
    assertEquals(ExchangeEvent.Kind.BODY_END, expected.get(expected.size() - 1), expected.toString());
    assertEquals(expected, failing.kinds, "the failing exchange's later events came through too");
  }
}
