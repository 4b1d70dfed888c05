package dev.llmotel.hook.httpurlconnection;

import dev.llmotel.testkit.hook.AbstractHookTest;
import dev.llmotel.testkit.hook.HookClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Nested;

/**
 * The hook test kit's contract through the JDK's real {@code HttpURLConnection}, with the advice woven into the JDK's
 * own class by retransformation, as the agent does ({@link WovenJdk}). Each nested class is one way applications
 * drive a connection; together they cover the three request body modes, both ways to the body of an error status,
 * and both ways to let go of a body.
 */
class HttpUrlConnectionHookTest {
  /** The classic: buffered body, {@code getResponseCode()}, then the input or error stream; {@code close()}. */
  @Nested
  class Buffered extends AbstractHookTest {
    @Override
    protected HookClient createClient() throws Exception {
      return new HucClient(Mode.BUFFERED, false, false, false);
    }
  }

  /**
   * Spring's {@code SimpleClientHttpRequestFactory}: fixed-length streaming, an explicit {@code connect()} before
   * the body, {@code getResponseCode()}, then {@code getErrorStream()} first and {@code getInputStream()} when that
   * is null.
   */
  @Nested
  class SpringStyleFixedLength extends AbstractHookTest {
    @Override
    protected HookClient createClient() throws Exception {
      return new HucClient(Mode.FIXED_LENGTH, true, false, false);
    }
  }

  /**
   * Chunked streaming; the body through {@code getInputStream()} directly, and on its {@code IOException} (a 4xx/5xx)
   * through {@code getErrorStream()}; the body let go with {@code disconnect()}.
   */
  @Nested
  class ChunkedInputStreamFirst extends AbstractHookTest {
    @Override
    protected HookClient createClient() throws Exception {
      return new HucClient(Mode.CHUNKED, false, true, true);
    }
  }

  enum Mode { BUFFERED, FIXED_LENGTH, CHUNKED }

  /** One application's way of using {@code HttpURLConnection}; everything it sees comes from the JDK's API. */
  static final class HucClient implements HookClient {
    private final Mode mode;
    private final boolean connectFirst;
    private final boolean inputStreamFirst;
    private final boolean disconnectToClose;

    HucClient(Mode mode, boolean connectFirst, boolean inputStreamFirst, boolean disconnectToClose) throws Exception {
      WovenJdk.install();
      this.mode = mode;
      this.connectFirst = connectFirst;
      this.inputStreamFirst = inputStreamFirst;
      this.disconnectToClose = disconnectToClose;
    }

    @Override
    public HookResponse post(URI uri, Map<String, String> headers, byte[] body) throws Exception {
      HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setReadTimeout(20_000);
      headers.forEach(connection::setRequestProperty);
      if (mode == Mode.FIXED_LENGTH) connection.setFixedLengthStreamingMode(body.length);
      if (mode == Mode.CHUNKED) connection.setChunkedStreamingMode(4096);
      if (connectFirst) connection.connect();
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      InputStream in;
      if (inputStreamFirst) {
        try {
          in = connection.getInputStream();
        } catch (IOException e) {
          in = connection.getErrorStream();
          if (in == null) throw e;
        }
      } else {
        int status = connection.getResponseCode();
        in = connectFirst ? connection.getErrorStream() : status >= 400 ? connection.getErrorStream() : null;
        if (in == null) in = connection.getInputStream();
      }
      return new HucResponse(connection, in, disconnectToClose);
    }
  }

  /**
   * The body as a careful application reads it: JDK 17's {@code HttpURLConnection} ends a fixed-length body the
   * server cut short with a plain end of stream (JDK 21+ throws {@code IOException: Premature EOF} itself), so the
   * application compares what it read with {@code getContentLengthLong()}.
   */
  static final class HucResponse implements HookClient.HookResponse {
    private final HttpURLConnection connection;
    private final InputStream in;
    private final boolean disconnectToClose;
    private long read;

    HucResponse(HttpURLConnection connection, InputStream in, boolean disconnectToClose) {
      this.connection = connection;
      this.in = in;
      this.disconnectToClose = disconnectToClose;
    }

    private int read(byte[] buf, int off, int len) throws IOException {
      int n = in.read(buf, off, len);
      if (n > 0) read += n;
      else if (n < 0) checkLength();
      return n;
    }

    private int read() throws IOException {
      int b = in.read();
      if (b >= 0) read++;
      else checkLength();
      return b;
    }

    private void checkLength() throws IOException {
      long expected = connection.getContentLengthLong();
      if (expected >= 0 && read < expected) throw new IOException("Premature EOF (" + read + " of " + expected + ")");
    }

    @Override
    public int status() {
      try {
        return connection.getResponseCode();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public String header(String name) {
      return connection.getHeaderField(name);
    }

    @Override
    public byte[] readAll() throws Exception {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = read(buf, 0, buf.length)) != -1; ) out.write(buf, 0, n);
      return out.toByteArray();
    }

    @Override
    public byte[] readExactly(int n) throws Exception {
      byte[] out = new byte[n];
      int got = 0;
      while (got < n) {
        int r = read(out, got, n - got);
        if (r < 0) throw new IOException("end of body after " + got + " bytes");
        got += r;
      }
      return out;
    }

    @Override
    public String readLine() throws Exception {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = read()) != -1 && b != '\n') line.write(b);
      if (b == -1 && line.size() == 0) return null;
      String s = line.toString(StandardCharsets.UTF_8);
      return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void close() throws Exception {
      if (disconnectToClose) connection.disconnect();
      else in.close();
    }
  }
}
