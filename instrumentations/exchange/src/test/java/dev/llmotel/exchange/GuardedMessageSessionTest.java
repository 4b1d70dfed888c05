package dev.llmotel.exchange;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class GuardedMessageSessionTest {
  static class Recorder implements MessageHandler {
    final List<String> events = new ArrayList<>();
    boolean throwing;

    @Override public Map<String, String> propagationHeaders() { return Collections.singletonMap("traceparent", "x"); }

    @Override
    public void opened(long nanos, int statusCode, HeaderLookup headers) {
      events.add("open " + statusCode);
    }

    @Override
    public void text(long nanos, boolean sent, CharSequence message, boolean cut) {
      events.add((sent ? "> " : "< ") + message + (cut ? " [cut]" : ""));
      if (throwing) throw new IllegalStateException("handler bug");
    }

    @Override
    public void binary(long nanos, boolean sent, long length) {
      events.add((sent ? "> " : "< ") + length + " bytes");
    }

    @Override
    public void ended(long nanos, int code, String reason, Throwable error) {
      events.add("end " + code + " " + reason + " " + (error == null ? "" : error.getMessage()));
    }
  }

  @Test
  void joinsFragmentsPerDirectionAndCutsLongMessages() {
    Recorder r = new Recorder();
    GuardedMessageSession s = new GuardedMessageSession(r, 8);
    s.opened(101, null);
    s.textReceived("abc", false);
    s.textSent("12", false);
    s.textReceived("def", true);
    s.textSent("34", true);
    s.textReceived("0123456789", true); // whole: passed as it is, however long
    s.textReceived("01234", false);
    s.textReceived("56789", true);
    s.binarySent(10);
    s.binaryReceived(20);
    s.textReceived("ab", false);
    s.closed(1000, "bye");
    s.textReceived("after", true);
    s.failed(new RuntimeException("after"));
    s.closed(1001, "again");
    assertEquals(java.util.Arrays.asList("open 101", "< abcdef", "> 1234", "< 0123456789", "< 01234567 [cut]",
        "> 10 bytes", "< 20 bytes", "end 1000 bye "), r.events);
    assertEquals("x", s.propagationHeaders().get("traceparent"));
  }

  @Test
  void aLongFragmentedMessageKeepsItsHeadAndItsTail() {
    Recorder r = new Recorder();
    int max = 64 * 1024;
    GuardedMessageSession s = new GuardedMessageSession(r, max);
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      String part = i + ":" + "y".repeat(500) + ";";
      all.append(part);
      s.textReceived(part, false);
    }
    s.textReceived("END", true);
    all.append("END");
    String got = r.events.get(0);
    assertTrue(got.endsWith(" [cut]"));
    String message = got.substring(2, got.length() - " [cut]".length());
    int head = max - GuardedMessageSession.TAIL_CHARS;
    assertEquals(max, message.length());
    assertEquals(all.substring(0, head), message.substring(0, head));
    assertEquals(all.substring(all.length() - GuardedMessageSession.TAIL_CHARS), message.substring(head));
  }

  @Test
  void aThrowingHandlerIsContained() {
    Recorder r = new Recorder();
    r.throwing = true;
    GuardedMessageSession s = new GuardedMessageSession(r, 100);
    s.textReceived("a", false);
    s.textReceived("b", true);
    s.textReceived("c", true);
    s.failed(new RuntimeException("boom"));
    assertEquals(java.util.Arrays.asList("< ab", "< c", "end -1 null boom"), r.events);
  }

  @Test
  void concurrentSendsAndReceiptsAreSerialised() throws Exception {
    Recorder r = new Recorder();
    GuardedMessageSession s = new GuardedMessageSession(r, 100);
    CountDownLatch go = new CountDownLatch(1);
    Thread sender = new Thread(() -> {
      await(go);
      for (int i = 0; i < 10_000; i++) {
        s.textSent("s", false);
        s.textSent("" + i, true);
      }
    });
    sender.start();
    go.countDown();
    for (int i = 0; i < 10_000; i++) {
      s.textReceived("r", false);
      s.textReceived("" + i, true);
    }
    sender.join();
    s.closed(1000, null);
    assertEquals(20_001, r.events.size());
    int sent = 0;
    int received = 0;
    for (String e : r.events) {
      if (e.startsWith("> ")) assertEquals("> s" + sent++, e);
      else if (e.startsWith("< ")) assertEquals("< r" + received++, e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The handler's deferred work runs after the lock is released, once, on the thread that reported the event. */
  @Test
  void deferredWorkRunsOutsideTheLock() throws Exception {
    CountDownLatch inWork = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> ran = java.util.Collections.synchronizedList(new ArrayList<>());
    Recorder r = new Recorder() {
      String pending;

      @Override
      public void text(long nanos, boolean sent, CharSequence message, boolean cut) {
        super.text(nanos, sent, message, cut);
        if (message.toString().startsWith("slow")) pending = message.toString();
      }

      @Override
      public Runnable deferred() {
        String work = pending;
        pending = null;
        if (work == null) return null;
        return () -> {
          ran.add(work + " on " + Thread.currentThread().getName());
          inWork.countDown();
          await(release);
        };
      }
    };
    GuardedMessageSession s = new GuardedMessageSession(r, 100);
    Thread reader = new Thread(() -> s.textReceived("slow", true), "reader");
    reader.start();
    try {
      assertTrue(inWork.await(5, java.util.concurrent.TimeUnit.SECONDS));
      java.util.concurrent.CompletableFuture.runAsync(() -> s.textSent("app", true))
          .get(5, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      release.countDown();
      reader.join();
    }
    s.closed(1000, null);
    assertEquals(java.util.Arrays.asList("slow on reader"), ran);
    assertEquals(java.util.Arrays.asList("< slow", "> app", "end 1000 null "), r.events);
  }

  /** A fragmented message is joined only up to what the handler needs of it, decided from its first fragment. */
  @Test
  void aFragmentedMessageKeepsOnlyWhatTheHandlerNeedsOfIt() {
    List<String> asked = new ArrayList<>();
    Recorder r = new Recorder() {
      @Override
      public int maxMessageChars(boolean sent, CharSequence start) {
        asked.add((sent ? "> " : "< ") + start);
        return start.toString().startsWith("delta") ? 7 : Integer.MAX_VALUE;
      }
    };
    GuardedMessageSession s = new GuardedMessageSession(r, 12);
    s.textReceived("delta:", false);
    s.textReceived("AAAA", false);
    s.textReceived("AAAA", true);
    s.textReceived("done:", false);
    s.textReceived("0123456789", true);
    s.textSent("delta", false);
    s.textSent("-sent", true);
    s.textReceived("whole delta, never cut", true);
    assertEquals(java.util.Arrays.asList("< delta:A [cut]", "< done:0123456 [cut]", "> delta-s [cut]",
        "< whole delta, never cut"), r.events);
    assertEquals(java.util.Arrays.asList("< delta:", "< done:", "> delta"), asked, "asked once per message");
  }

  /** A binary message sent or received in fragments counts once, when its last fragment comes, with its total size. */
  @Test
  void aFragmentedBinaryMessageCountsOnce() {
    Recorder r = new Recorder();
    GuardedMessageSession s = new GuardedMessageSession(r, 100);
    s.binaryReceived(10, false);
    s.binarySent(1, false);
    s.binaryReceived(20, false);
    s.binaryReceived(5, true);
    s.binarySent(2, true);
    s.binaryReceived(7);
    s.binaryReceived(3, true);
    assertEquals(java.util.Arrays.asList("< 35 bytes", "> 3 bytes", "< 7 bytes", "< 3 bytes"), r.events);
  }
}
