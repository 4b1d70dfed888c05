package dev.llmotel.hook.javawebsocket;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.exchange.MessageSession;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Binary messages in parts ({@code last == false}) are told to the session as fragments: one message, counted once
 * (review finding 12: each part used to count as a message), in both directions.
 */
class BinaryFragmentsTest {
  /** Only the two-argument binary methods are the hook's; the whole-message ones record too, to catch a regression. */
  static final class Session implements MessageSession {
    final List<String> events = new ArrayList<>();

    @Override public Map<String, String> propagationHeaders() { return Collections.emptyMap(); }
    @Override public void opened(int statusCode, HeaderLookup headers) {}
    @Override public void textSent(CharSequence text, boolean last) {}
    @Override public void textReceived(CharSequence text, boolean last) {}
    @Override public void binarySent(long length) { events.add("> " + length); }
    @Override public void binaryReceived(long length) { events.add("< " + length); }
    @Override public void binarySent(long length, boolean last) { events.add("> " + length + (last ? "" : " …")); }
    @Override public void binaryReceived(long length, boolean last) { events.add("< " + length + (last ? "" : " …")); }
    @Override public void closed(int code, String reason) {}
    @Override public void failed(Throwable error) {}
  }

  @Test
  void receivedPartsAreFragmentsOfOneMessage() {
    Session session = new Session();
    TracingListener listener = new TracingListener(new WebSocket.Listener() {
      @Override
      public java.util.concurrent.CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        return null;
      }
    }, session);
    listener.onBinary(null, ByteBuffer.allocate(4), false);
    listener.onBinary(null, ByteBuffer.allocate(3), true);
    assertEquals(Arrays.asList("< 4 …", "< 3"), session.events);
  }

  @Test
  void sentPartsAreFragmentsOfOneMessage() {
    Session session = new Session();
    TracingListener listener = new TracingListener(new WebSocket.Listener() {}, session);
    SendHook hook = new SendHook();
    hook.enter(listener, new Object[] {ByteBuffer.allocate(5), false});
    hook.enter(listener, new Object[] {ByteBuffer.allocate(2), true});
    assertEquals(Arrays.asList("> 5 …", "> 2"), session.events);
  }
}
