package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Pending#wanted()}: whether anything asked for the value (the exit hook waits only for a value asked for). */
class PendingWantedTest {
  @Test
  void notWantedUntilAskedFor() {
    Pending<String> p = new Pending<>();
    assertFalse(p.isDone());
    assertFalse(p.wanted(), "isDone() is not asking for it");
    p.complete("sdk");
    assertFalse(p.wanted(), "completing it is not asking for it");
    p.get(0);
    assertTrue(p.wanted());
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
