package dev.llmotel.hook.reactornetty.v1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.reactivestreams.Subscription;
import reactor.core.Exceptions;
import reactor.core.publisher.BaseSubscriber;

/**
 * An application reading a streamed body the blocking way: one element requested at a time, and the next only once
 * the reader took the previous one (so the client never reads ahead of the application). Elements are the body's
 * pieces as {@code byte[]} (the application's own copies), after an optional head element; {@link #close()} cancels.
 */
final class BlockingBody extends BaseSubscriber<Object> {
  private static final Object END = new Object();
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private byte[] pending = new byte[0];
  private int pendingAt;
  private boolean ended;

  @Override
  protected void hookOnSubscribe(Subscription subscription) {
    subscription.request(1);
  }

  @Override
  protected void hookOnNext(Object value) {
    queue.add(value);
  }

  @Override
  protected void hookOnError(Throwable throwable) {
    queue.add(new Failure(throwable));
  }

  @Override
  protected void hookOnComplete() {
    queue.add(END);
  }

  /** The next element: a head, a {@code byte[]}, or null at the end; throws what the stream failed with. */
  Object next() throws Exception {
    if (ended) return null;
    Object o = queue.poll(30, TimeUnit.SECONDS);
    if (o == null) throw new TimeoutException("no element within 30 s");
    if (o == END) {
      ended = true;
      return null;
    }
    if (o instanceof Failure) {
      ended = true;
      Throwable t = Exceptions.unwrap(((Failure) o).error);
      if (t instanceof Exception) throw (Exception) t;
      throw (Error) t;
    }
    request(1);
    return o;
  }

  private boolean fill() throws Exception {
    while (pendingAt >= pending.length) {
      Object o = next();
      if (o == null) return false;
      pending = (byte[]) o;
      pendingAt = 0;
    }
    return true;
  }

  byte[] readAll() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (fill()) {
      out.write(pending, pendingAt, pending.length - pendingAt);
      pendingAt = pending.length;
    }
    return out.toByteArray();
  }

  byte[] readExactly(int n) throws Exception {
    byte[] out = new byte[n];
    int got = 0;
    while (got < n) {
      if (!fill()) throw new IOException("end of body after " + got + " bytes");
      int take = Math.min(n - got, pending.length - pendingAt);
      System.arraycopy(pending, pendingAt, out, got, take);
      pendingAt += take;
      got += take;
    }
    return out;
  }

  String readLine() throws Exception {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (fill()) {
      byte b = pending[pendingAt++];
      if (b == '\n') {
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
    return line.size() > 0 ? line.toString(StandardCharsets.UTF_8) : null;
  }

  /** Cancels the subscription unless the body already ended. */
  void close() {
    if (!ended) dispose();
    ended = true;
  }

  /** Splits bytes into up to {@code pieces} arrays (at least one, possibly empty): a body sent in several writes. */
  static byte[][] pieces(byte[] body, int pieces) {
    int size = Math.max(1, (body.length + pieces - 1) / pieces);
    int count = Math.max(1, (body.length + size - 1) / size);
    byte[][] out = new byte[count][];
    for (int i = 0; i < count; i++) out[i] = Arrays.copyOfRange(body, i * size, Math.min(body.length, (i + 1) * size));
    return out;
  }

  private static final class Failure {
    final Throwable error;

    Failure(Throwable error) {
      this.error = error;
    }
  }
}
