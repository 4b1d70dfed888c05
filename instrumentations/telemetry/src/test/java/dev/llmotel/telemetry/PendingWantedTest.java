package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Pending#wanted()}: whether anything asked for the value (the exit hook waits only for a value asked for). */
class PendingWantedTest {
  @Test
  void notWantedUntilAskedFor() {
    Pending<String> p = new Pending<>();
    assertFalse(p.isDone());
    assertFalse(p.wanted(), "isDone() is not asking for it");
    assertEquals(null, p.peek());
    assertFalse(p.wanted(), "peek() is not asking for it");
    p.get(0);
    assertTrue(p.wanted());
  }

  @Test
  void askingOnceItIsDoneIsNotWantingIt() {
    Pending<String> p = new Pending<>();
    p.complete("sdk");
    assertEquals("sdk", p.get(0));
    assertEquals("sdk", p.peek());
    assertFalse(p.wanted(), "a read after it is done depends on nothing still to come");
  }

  @Test
  void failUnlessWantedFailsWhatNothingAskedFor() {
    Pending<String> p = new Pending<>();
    assertTrue(p.failUnlessWanted());
    assertTrue(p.isDone());
    assertNull(p.get(60_000), "asking after it failed does not wait");
    assertFalse(p.whenDone(() -> { }, 10));
    assertFalse(p.complete("sdk"), "a late complete() after fail() is a no-op");
    assertNull(p.get(0));
    assertNull(p.peek());
  }

  @Test
  void failUnlessWantedLeavesWhatWasAskedFor() {
    Pending<String> p = new Pending<>();
    p.get(0);
    assertFalse(p.failUnlessWanted());
    assertFalse(p.isDone());
    assertTrue(p.complete("sdk"));
    assertEquals("sdk", p.get(0));
    Pending<String> done = new Pending<>();
    done.complete("sdk");
    assertFalse(done.failUnlessWanted(), "done already");
    assertEquals("sdk", done.get(0));
  }

  @Test
  void completeAfterFailIsANoOpAndFailAfterCompleteToo() {
    Pending<String> failed = new Pending<>();
    failed.fail();
    assertFalse(failed.complete("sdk"));
    assertNull(failed.get(0));
    Pending<String> completed = new Pending<>();
    assertTrue(completed.complete("sdk"));
    completed.fail();
    assertEquals("sdk", completed.get(0));
    assertFalse(completed.complete("other"));
    assertEquals("sdk", completed.get(0));
  }

  /** Either the asker sees it wanted-then-completed, or failed at once: never asked for and failed anyway. */
  @Test
  void anAskRacingFailUnlessWantedIsNeverLost() throws Exception {
    for (int i = 0; i < 2_000; i++) {
      Pending<String> p = new Pending<>();
      CountDownLatch go = new CountDownLatch(1);
      AtomicInteger askerSawFailure = new AtomicInteger();
      Thread asker = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        if (p.get(10_000) == null) askerSawFailure.set(1);
      });
      asker.start();
      go.countDown();
      boolean failed = p.failUnlessWanted();
      if (!failed) p.complete("sdk"); // the exit hook waits for the SDK: the asker gets it
      asker.join();
      assertEquals(failed ? 1 : 0, askerSawFailure.get(), "round " + i);
    }
  }

  @Test
  void aWaitingActionWantsIt() {
    Pending<String> p = new Pending<>();
    assertTrue(p.whenDone(() -> { }, 10));
    assertTrue(p.wanted());
  }

  @Test
  void aBoundedWaitWantsItEvenWhenItFails() {
    Pending<String> p = new Pending<>();
    p.get(1);
    p.fail();
    assertTrue(p.wanted());
  }
}
