package dev.llmotel.testkit.websocket;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal RFC 6455 WebSocket server for tests, JDK only (the JDK's HttpServer cannot upgrade): the opening
 * handshake, text and binary messages (fragmented ones joined), ping/pong, the close handshake, and what a test needs
 * to misbehave (fragmented sends, dropping the connection without a close frame). One thread per connection; the
 * {@link Handler} is called on it. Not for production: no extensions, no limits beyond 16 MiB a message.
 */
public final class MiniWebSocketServer implements AutoCloseable {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  /** What the server does with a connection; called on the connection's own thread. */
  public interface Handler {
    default void onOpen(Connection c) throws IOException {}

    default void onText(Connection c, String text) throws IOException {}

    default void onBinary(Connection c, byte[] data) throws IOException {}

    /** The client sent a close frame (the server has answered it already). */
    default void onClose(Connection c, int code, String reason) {}
  }

  private final ServerSocket server;
  private final Handler handler;
  private final List<Connection> connections = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public MiniWebSocketServer(Handler handler) throws IOException {
    this.handler = handler;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "mini-websocket-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code ws://127.0.0.1:port} + {@code pathAndQuery}. */
  public URI uri(String pathAndQuery) {
    return URI.create("ws://127.0.0.1:" + port() + pathAndQuery);
  }

  /** The connections so far, in the order they were opened. */
  public List<Connection> connections() {
    return connections;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread t = new Thread(() -> serve(socket), "mini-websocket-" + socket.getPort());
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    Connection c = null;
    try {
      c = handshake(socket);
      if (c == null) return;
      connections.add(c);
      handler.onOpen(c);
      c.readLoop(handler);
    } catch (IOException e) {
      // the client went away
    } finally {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      if (c != null) c.ended = true;
    }
  }

  private static Connection handshake(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    String requestLine = readLine(in);
    if (requestLine == null) return null;
    Map<String, String> headers = new ConcurrentHashMap<>();
    for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
    }
    String target = requestLine.split(" ")[1];
    String key = headers.get("sec-websocket-key");
    OutputStream out = socket.getOutputStream();
    if (key == null) {
      out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return null;
    }
    String accept;
    try {
      accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
          .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IOException(e);
    }
    out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    int q = target.indexOf('?');
    return new Connection(socket, q < 0 ? target : target.substring(0, q), q < 0 ? null : target.substring(q + 1),
        headers);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != -1; b = in.read()) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString("ISO-8859-1");
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Connection c : connections) c.drop();
  }

  /** One client connection. Sends are thread-safe. */
  public static final class Connection {
    private final Socket socket;
    private final String path;
    private final String query;
    private final Map<String, String> headers;
    private final OutputStream out;
    private volatile boolean closeSent;
    volatile boolean ended;
    private final List<String> received = new CopyOnWriteArrayList<>();

    Connection(Socket socket, String path, String query, Map<String, String> headers) throws IOException {
      this.socket = socket;
      this.path = path;
      this.query = query;
      this.headers = headers;
      this.out = socket.getOutputStream();
    }

    public String path() { return path; }
    public String query() { return query; }
    /** The upgrade request's headers, names in lower case. */
    public Map<String, String> headers() { return headers; }
    /** What the client sent: text as is, binary as {@code <binary n>}, close as {@code <close code reason>}. */
    public List<String> received() { return received; }
    public boolean ended() { return ended; }

    public void sendText(String text) throws IOException {
      frame(true, 1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** One text message in several frames (continuations). */
    public void sendTextFragments(String... parts) throws IOException {
      synchronized (this) {
        for (int i = 0; i < parts.length; i++) {
          frame(i == parts.length - 1, i == 0 ? 1 : 0, parts[i].getBytes(StandardCharsets.UTF_8));
        }
      }
    }

    public void sendBinary(byte[] data) throws IOException {
      frame(true, 2, data);
    }

    public void ping(byte[] data) throws IOException {
      frame(true, 9, data);
    }

    /** An unsolicited pong (a heartbeat, RFC 6455 5.5.3). */
    public void pong(byte[] data) throws IOException {
      frame(true, 10, data);
    }

    /** Sends a close frame; the client's answer ends the connection. */
    public void close(int code, String reason) throws IOException {
      byte[] r = reason.getBytes(StandardCharsets.UTF_8);
      byte[] payload = new byte[2 + r.length];
      payload[0] = (byte) (code >> 8);
      payload[1] = (byte) code;
      System.arraycopy(r, 0, payload, 2, r.length);
      closeSent = true;
      frame(true, 8, payload);
    }

    /** Closes the TCP connection without a close frame (the client sees a failure). */
    public void drop() {
      try {
        socket.setSoLinger(true, 0);
        socket.close();
      } catch (IOException ignored) {
        // gone already
      }
    }

    private synchronized void frame(boolean fin, int opcode, byte[] payload) throws IOException {
      ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 10);
      f.write((fin ? 0x80 : 0) | opcode);
      if (payload.length < 126) {
        f.write(payload.length);
      } else if (payload.length < 65536) {
        f.write(126);
        f.write(payload.length >> 8);
        f.write(payload.length);
      } else {
        f.write(127);
        for (int i = 7; i >= 0; i--) f.write((int) ((long) payload.length >> (8 * i)));
      }
      f.write(payload);
      out.write(f.toByteArray());
      out.flush();
    }

    void readLoop(Handler handler) throws IOException {
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      int messageOpcode = 0;
      while (true) {
        int b0 = in.read();
        if (b0 < 0) return;
        int b1 = read(in);
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0f;
        long len = b1 & 0x7f;
        if (len == 126) len = (read(in) << 8) | read(in);
        else if (len == 127) {
          len = 0;
          for (int i = 0; i < 8; i++) len = (len << 8) | read(in);
        }
        if (len > (16 << 20)) throw new IOException("frame too large");
        byte[] mask = new byte[4];
        boolean masked = (b1 & 0x80) != 0;
        if (masked) readFully(in, mask);
        byte[] payload = new byte[(int) len];
        readFully(in, payload);
        if (masked) for (int i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
        if (opcode == 8) {
          int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
          String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
          received.add("<close " + code + " " + reason + ">");
          if (!closeSent) {
            closeSent = true;
            frame(true, 8, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
          }
          handler.onClose(this, code, reason);
          return;
        }
        if (opcode == 9) {
          frame(true, 10, payload);
          continue;
        }
        if (opcode == 10) continue;
        if (opcode != 0) messageOpcode = opcode;
        message.write(payload);
        if (!fin) continue;
        byte[] whole = message.toByteArray();
        message.reset();
        if (messageOpcode == 1) {
          String text = new String(whole, StandardCharsets.UTF_8);
          received.add(text);
          handler.onText(this, text);
        } else {
          received.add("<binary " + whole.length + ">");
          handler.onBinary(this, whole);
        }
      }
    }

    private static int read(InputStream in) throws IOException {
      int b = in.read();
      if (b < 0) throw new EOFException();
      return b;
    }

    private static void readFully(InputStream in, byte[] buf) throws IOException {
      int off = 0;
      while (off < buf.length) {
        int n = in.read(buf, off, buf.length - off);
        if (n < 0) throw new EOFException();
        off += n;
      }
    }
  }
}
