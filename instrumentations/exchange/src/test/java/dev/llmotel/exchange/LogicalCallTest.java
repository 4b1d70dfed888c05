package dev.llmotel.exchange;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A logical call that leaves its thread, is carried to another one and bound there. */
class LogicalCallTest {
  @Test
  void anAsynchronousCallIsCarriedToAnotherThreadAndBoundThereUntilItExits() throws Exception {
    LogicalCall call = LogicalCall.enter();
    assertNotNull(call);
    Object carrier = new Object();
    LogicalCall.carry(carrier, LogicalCall.current());
    call.leaveThread();
    assertNull(LogicalCall.current(), "off the application's thread, still open");
    assertFalse(call.exited());

    AtomicReference<LogicalCall> seen = new AtomicReference<>();
    Thread other = new Thread(() -> {
      LogicalCall carried = LogicalCall.carried(carrier, false);
      if (carried != null && carried.bindHere()) {
        seen.set(LogicalCall.current());
        carried.leaveThread();
      }
    });
    other.start();
    other.join();
    assertSame(call, seen.get());
    assertSame(call, LogicalCall.carried(carrier, true), "removed when taken");
    assertNull(LogicalCall.carried(carrier, false));

    LogicalCall.carry(carrier, call);
    call.exit(null);
    assertNull(LogicalCall.carried(carrier, false), "an exited call is carried no more");
    assertFalse(call.bindHere(), "nor bound");
    assertNull(LogicalCall.current());
  }

  @Test
  void aThreadInsideACallDoesNotBindAnother() {
    LogicalCall outer = LogicalCall.enter();
    LogicalCall other = otherOpenCall();
    try {
      assertFalse(other.bindHere());
      assertSame(outer, LogicalCall.current());
    } finally {
      outer.exit(null);
      other.exit(null);
    }
    assertTrue(other.exited());
    assertNull(LogicalCall.carried(null, false));
  }

  private static LogicalCall otherOpenCall() {
    AtomicReference<LogicalCall> made = new AtomicReference<>();
    Thread t = new Thread(() -> {
      LogicalCall c = LogicalCall.enter();
      c.leaveThread();
      made.set(c);
    });
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    return made.get();
  }
}
