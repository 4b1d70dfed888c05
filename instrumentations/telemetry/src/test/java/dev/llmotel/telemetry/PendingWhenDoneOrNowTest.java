package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Pending#whenDoneOrNow}: the value now when it is done, else once it is, within the bound on what waits. */
class PendingWhenDoneOrNowTest {
  @Test
  void doneAlreadyRunsNowWithTheValue() {
    Pending<String> p = Pending.of("sdk");
    List<String> got = new ArrayList<>();
    p.whenDoneOrNow(got::add, 1, 0);
    assertEquals(List.of("sdk"), got);
  }

  @Test
  void notDoneRunsOnTheCompletingThreadOnceDone() {
    Pending<String> p = new Pending<>();
    List<String> got = new ArrayList<>();
    p.whenDoneOrNow(got::add, 1, 0);
    assertTrue(got.isEmpty(), "nothing yet: it waits for the value");
    assertTrue(p.wanted());
    p.complete("sdk");
    assertEquals(List.of("sdk"), got);
  }

  @Test
  void pastTheBoundRunsNowWithWhatThereIs() {
    Pending<String> p = new Pending<>();
    List<String> got = new ArrayList<>();
    p.whenDoneOrNow(v -> got.add("waited " + v), 1, 0);
    long start = System.nanoTime();
    p.whenDoneOrNow(v -> got.add("now " + v), 1, 50);
    assertTrue(System.nanoTime() - start >= 40_000_000L, "waited up to its 50 ms for the value");
    assertEquals(List.of("now null"), got);
    p.fail();
    assertEquals(List.of("now null", "waited null"), got, "a failed start gives null to what waited");
  }
}
