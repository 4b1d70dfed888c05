package dev.llmotel.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A worker that falls behind (here: one that never runs) must not let the events of all exchanges pile up: each
 * exchange's queue is capped, and so is the total, past which the reporting thread processes its own events.
 */
class WorkerBacklogTest {
  static final int EXCHANGES = 20_000;
  static final byte[] BODY = new byte[1000];

  static final class Counting implements ExchangeHandler {
    final AtomicInteger events = new AtomicInteger();
    final AtomicInteger ends = new AtomicInteger();

    @Override public Map<String, String> propagationHeaders() { return Collections.emptyMap(); }

    @Override
    public boolean handle(ExchangeEvent event, boolean onWorkerThread) {
      events.incrementAndGet();
      if (event.kind.ends()) ends.incrementAndGet();
      return false;
    }
  }

  static void call(Exchange ex) {
    ex.requestBody(BODY, 0, BODY.length);
    ex.requestBodyEnd();
    ex.response(200, name -> null);
    ex.responseBody(BODY, 0, BODY.length);
    ex.responseBodyEnd();
  }

  @Test
  void totalBacklogIsCappedWhenTheWorkerFallsBehind() {
    long budget = 256 * 1024;
    ExchangeWorker worker = ExchangeWorker.manual(budget);
    Counting handler = new Counting();
    List<WeakReference<QueuedExchange>> late = new ArrayList<>();
    long maxBacklog = 0;
    for (int i = 0; i < EXCHANGES; i++) {
      QueuedExchange ex = new QueuedExchange(handler, worker, null, 256 * 1024);
      call(ex);
      maxBacklog = Math.max(maxBacklog, worker.backlogBytes());
      if (i >= EXCHANGES - 100) late.add(new WeakReference<>(ex));
    }
    // without the total cap: 20,000 × ~4.4 KB ≈ 88 MB waiting, nothing processed until the worker runs
    // both bodies share one block (see BodyBlocks), weighed whole
    long oneCall = BodyBlocks.BLOCK_BYTES + 5L * QueuedExchange.EVENT_OVERHEAD
        + ExchangeWorker.Background.QUEUED_EXCHANGE_WEIGHT;
    assertTrue(maxBacklog <= budget + oneCall, "backlog reached " + maxBacklog + " bytes");
    assertTrue(handler.ends.get() >= EXCHANGES - budget / QueuedExchange.EVENT_OVERHEAD,
        "processed by the reporting thread: " + handler.ends.get());
    // the last exchanges were processed at once and never queued, so nothing keeps them (nor their call's state)
    int kept = late.size();
    for (int round = 0; round < 20 && kept > 0; round++) {
      System.gc();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      kept = 0;
      for (WeakReference<QueuedExchange> r : late) if (r.get() != null) kept++;
    }
    assertEquals(0, kept, "late exchanges still reachable");

    worker.drain(10_000);
    assertEquals(0, worker.backlogBytes(), "backlog after drain");
    assertEquals(EXCHANGES, handler.ends.get(), "each exchange ended once");
    assertEquals(5 * EXCHANGES, handler.events.get(), "events");
  }

  @Test
  void underTheBudgetEventsWaitForTheWorker() {
    ExchangeWorker worker = ExchangeWorker.manual(1 << 20);
    Counting handler = new Counting();
    for (int i = 0; i < 10; i++) call(new QueuedExchange(handler, worker, null, 256 * 1024));
    assertEquals(0, handler.events.get(), "nothing processed on the reporting thread");
    assertEquals(10 * (BodyBlocks.BLOCK_BYTES + 5L * QueuedExchange.EVENT_OVERHEAD
        + ExchangeWorker.Background.QUEUED_EXCHANGE_WEIGHT), worker.backlogBytes());
    worker.drain(10_000);
    assertEquals(50, handler.events.get());
    assertEquals(0, worker.backlogBytes());
  }
}
