package dev.llmotel.hook.apachehttpclient.v5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmotel.testkit.hook.AbstractHookTest;
import dev.llmotel.testkit.hook.HookClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.async.methods.AbstractCharResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequests;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Nested;

/**
 * The hook test kit's contract through the real async clients, their {@code doExecute} woven with the hook's advice
 * ({@link WovenClients}): {@code HttpAsyncClients.custom()} ({@code InternalHttpAsyncClient}) and {@code
 * createMinimal()} ({@code MinimalHttpAsyncClient}), each with a streaming consumer (an application's {@code
 * AbstractBinResponseConsumer} / {@code AbstractCharResponseConsumer} handing the body to the test thread as it
 * arrives) and with {@code SimpleHttpRequest} + {@code SimpleResponseConsumer} (the body whole). The test thread
 * blocks on the future and on the handed-over body; the client's threads never do. An application abandons a stream
 * by cancelling its future.
 */
class AsyncHookTest {
  static final RequestConfig TIMEOUTS = RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(20)).build();

  @Nested
  class InternalStreamed extends AbstractHookTest {
    @Override
    protected HookClient createClient() throws Exception {
      WovenClients.install();
      // no retries: HttpClient 5.0 hangs retrying a request with a body (see AsyncRetryTest)
      CloseableHttpAsyncClient client =
          HttpAsyncClients.custom().setDefaultRequestConfig(TIMEOUTS).disableAutomaticRetries().build();
      assertEquals("InternalHttpAsyncClient", client.getClass().getSimpleName());
      return new Streamed(client, BinPipe::new);
    }
  }

  @Nested
  class InternalSimple extends AbstractHookTest {
    @Override
    protected HookClient createClient() throws Exception {
      WovenClients.install();
      return new Simple(HttpAsyncClients.custom().setDefaultRequestConfig(TIMEOUTS).disableAutomaticRetries().build());
    }
  }

  @Nested
  class MinimalStreamed extends AbstractHookTest {
    @Override
    protected HookClient createClient() throws Exception {
      WovenClients.install();
      CloseableHttpAsyncClient client = HttpAsyncClients.createMinimal();
      assertEquals("MinimalHttpAsyncClient", client.getClass().getSimpleName());
      return new Streamed(client, CharPipe::new);
    }
  }

  @Nested
  class MinimalSimple extends AbstractHookTest {
    @Override
    protected HookClient createClient() throws Exception {
      WovenClients.install();
      return new Simple(HttpAsyncClients.createMinimal());
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }

  /** {@code SimpleHttpRequest} in, {@code SimpleHttpResponse} out: the application gets the body whole. */
  static final class Simple implements HookClient {
    private final CloseableHttpAsyncClient client;

    Simple(CloseableHttpAsyncClient client) {
      this.client = client;
      client.start();
    }

    @Override
    public boolean streamsBody() {
      return false;
    }

    @Override
    @SuppressWarnings("deprecation")
    public HookResponse post(URI uri, Map<String, String> headers, byte[] body) throws Exception {
      SimpleHttpRequest request = SimpleHttpRequests.post(uri);
      request.setConfig(TIMEOUTS);
      headers.forEach(request::setHeader);
      String type = headers.get("Content-Type");
      request.setBody(body, type == null ? ContentType.APPLICATION_OCTET_STREAM : ContentType.parse(type));
      SimpleHttpResponse response = await(client.execute(request, null));
      return new WholeBody(response.getCode(), name -> {
        Header h = response.getFirstHeader(name);
        return h == null ? null : h.getValue();
      }, response.getBodyBytes() == null ? new byte[0] : response.getBodyBytes());
    }

    @Override
    public void close() throws IOException {
      client.close();
    }
  }

  /**
   * A request producer with the body and an application consumer that hands each piece of the body to the test
   * thread: {@code post} returns once the response head arrived, reads block until the next piece, and closing before
   * the end cancels the call.
   */
  static final class Streamed implements HookClient {
    private final CloseableHttpAsyncClient client;
    private final Supplier<Pipe> pipes;

    Streamed(CloseableHttpAsyncClient client, Supplier<Pipe> pipes) {
      this.client = client;
      this.pipes = pipes;
      client.start();
    }

    @Override
    public HookResponse post(URI uri, Map<String, String> headers, byte[] body) throws Exception {
      BasicHttpRequest request = new BasicHttpRequest("POST", uri);
      headers.forEach(request::setHeader);
      String type = headers.get("Content-Type");
      BasicRequestProducer producer = new BasicRequestProducer(request, AsyncEntityProducers.create(body,
          type == null ? ContentType.APPLICATION_OCTET_STREAM : ContentType.parse(type)));
      Pipe pipe = pipes.get();
      Future<Void> future = client.execute(producer, pipe.consumer(), null);
      CompletableFuture<HttpResponse> head = pipe.head;
      // the head, or the call's failure if it fails first
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!head.isDone() && !future.isDone() && System.nanoTime() < deadline) Thread.sleep(2);
      if (!head.isDone()) await(future);
      HttpResponse response = await(head);
      InputStream in = pipe.stream();
      return new HookResponse() {
        @Override public int status() { return response.getCode(); }

        @Override public String header(String name) {
          Header h = response.getFirstHeader(name);
          return h == null ? null : h.getValue();
        }

        @Override public byte[] readAll() throws Exception { return in.readAllBytes(); }

        @Override public byte[] readExactly(int n) throws Exception { return in.readNBytes(n); }

        @Override public String readLine() throws Exception {
          ByteArrayOutputStream line = new ByteArrayOutputStream();
          int b;
          while ((b = in.read()) != -1 && b != '\n') line.write(b);
          if (b == -1 && line.size() == 0) return null;
          String s = line.toString(StandardCharsets.UTF_8);
          return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        @Override public void close() {
          if (!future.isDone()) future.cancel(true);
        }
      };
    }

    @Override
    public void close() throws IOException {
      client.close();
    }
  }

  /** Pieces of one body from the client's thread to the test thread (never blocking the client's thread). */
  abstract static class Pipe {
    private static final Object END = new Object();
    final CompletableFuture<HttpResponse> head = new CompletableFuture<>();
    private final BlockingQueue<Object> pieces = new LinkedBlockingQueue<>();

    abstract AsyncResponseConsumer<Void> consumer();

    void started(HttpResponse response) {
      head.complete(response);
    }

    void piece(byte[] bytes) {
      if (bytes.length > 0) pieces.add(bytes);
    }

    void end() {
      pieces.add(END);
    }

    void failed(Exception cause) {
      head.completeExceptionally(cause);
      pieces.add(cause);
    }

    InputStream stream() {
      return new InputStream() {
        private byte[] current = new byte[0];
        private int pos;
        private boolean ended;

        private boolean fill() throws IOException {
          while (pos >= current.length) {
            if (ended) return false;
            Object next;
            try {
              next = pieces.poll(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
            if (next == null) throw new IOException("no body piece within 30 s");
            if (next == END) {
              ended = true;
              return false;
            }
            if (next instanceof IOException) throw (IOException) next;
            if (next instanceof Exception) throw new IOException((Exception) next);
            current = (byte[]) next;
            pos = 0;
          }
          return true;
        }

        @Override public int read() throws IOException {
          return fill() ? current[pos++] & 0xff : -1;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
          if (len == 0) return 0;
          if (!fill()) return -1;
          int n = Math.min(len, current.length - pos);
          System.arraycopy(current, pos, b, off, n);
          pos += n;
          return n;
        }
      };
    }
  }

  /** The application's consumer: bytes as they come. */
  static final class BinPipe extends Pipe {
    @Override
    AsyncResponseConsumer<Void> consumer() {
      return new AbstractBinResponseConsumer<Void>() {
        @Override protected void start(HttpResponse response, ContentType contentType) { started(response); }
        @Override protected int capacityIncrement() { return Integer.MAX_VALUE; }

        @Override protected void data(ByteBuffer src, boolean endOfStream) {
          byte[] bytes = new byte[src.remaining()];
          src.get(bytes);
          piece(bytes);
          if (endOfStream) end();
        }

        @Override protected Void buildResult() { return null; }
        @Override public void failed(Exception cause) { BinPipe.this.failed(cause); }
        @Override public void releaseResources() {}
      };
    }
  }

  /** The application's consumer: text as it is decoded (UTF-8; the test reads its bytes again). */
  static final class CharPipe extends Pipe {
    @Override
    AsyncResponseConsumer<Void> consumer() {
      return new AbstractCharResponseConsumer<Void>() {
        @Override protected void start(HttpResponse response, ContentType contentType) {
          setCharset(StandardCharsets.UTF_8); // JSON and SSE are UTF-8; the client's default would be US-ASCII
          started(response);
        }

        @Override protected int capacityIncrement() { return Integer.MAX_VALUE; }

        @Override protected void data(CharBuffer src, boolean endOfStream) {
          piece(src.toString().getBytes(StandardCharsets.UTF_8));
          src.position(src.limit());
          if (endOfStream) end();
        }

        @Override protected Void buildResult() { return null; }
        @Override public void failed(Exception cause) { CharPipe.this.failed(cause); }
        @Override public void releaseResources() {}
      };
    }
  }
}
