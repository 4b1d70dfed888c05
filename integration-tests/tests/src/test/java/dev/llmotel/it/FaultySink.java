package dev.llmotel.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OTLP/HTTP endpoint that misbehaves in one way, for the backend-fault tests: {@link Fault#DOWN} (nothing listens:
 * connection refused), {@link Fault#SLOW} (answers 200 after 10 s), a fixed error status, or {@link Fault#RESET}
 * (reads the request, then resets the connection). A plain socket server, so it can do what an HTTP server library
 * would not (reset, hold a request); it counts the requests it got.
 */
final class FaultySink implements AutoCloseable {
  /** One way for a backend to fail. */
  enum Fault {
    DOWN(0), SLOW(200), UNAUTHORIZED(401), TOO_MANY_REQUESTS(429), SERVER_ERROR(500), NOT_IMPLEMENTED(501), RESET(0);

    final int status;

    Fault(int status) { this.status = status; }
  }

  static final long SLOW_MILLIS = 10_000;

  private final Fault fault;
  private final ServerSocket server;
  private final int port;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile boolean closed;

  private FaultySink(Fault fault) throws IOException {
    this.fault = fault;
    ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    port = socket.getLocalPort();
    if (fault == Fault.DOWN) {
      socket.close(); // the port stays free: connection refused
      server = null;
      return;
    }
    server = socket;
    Thread acceptor = new Thread(this::accept, "faulty-sink-" + fault);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static FaultySink start(Fault fault) throws IOException { return new FaultySink(fault); }

  String endpoint() { return "http://127.0.0.1:" + port; }

  /** Requests read in full so far (none for {@link Fault#DOWN}). */
  int requests() { return requests.get(); }

  private void accept() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return;
      }
      Thread t = new Thread(() -> serve(socket), "faulty-sink-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (!closed) {
        if (!readRequest(in)) return;
        requests.incrementAndGet();
        switch (fault) {
          case RESET -> {
            socket.setSoLinger(true, 0); // close() now sends RST
            return;
          }
          case SLOW -> {
            Thread.sleep(SLOW_MILLIS);
            respond(out, 200);
          }
          default -> respond(out, fault.status);
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client gave up (timeout, shutdown): nothing to do
    }
  }

  private static void respond(OutputStream out, int status) throws IOException {
    String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: application/x-protobuf\r\n"
        + (status == 429 ? "Retry-After: 1\r\n" : "") + "Content-Length: 0\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 401 -> "Unauthorized";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      default -> "Status";
    };
  }

  /** Reads one request (headers, then a Content-Length or chunked body); false at the end of the connection. */
  private static boolean readRequest(InputStream in) throws IOException {
    long contentLength = 0;
    boolean chunked = false;
    String line;
    boolean first = true;
    while ((line = readLine(in)) != null) {
      if (line.isEmpty()) {
        if (first) continue;
        break;
      }
      first = false;
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) contentLength = Long.parseLong(lower.substring(15).trim());
      if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
    }
    if (line == null) return false;
    if (chunked) {
      while (true) {
        String size = readLine(in);
        if (size == null) return false;
        int semicolon = size.indexOf(';');
        long n = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
        if (n == 0) {
          while ((line = readLine(in)) != null && !line.isEmpty()) {
            // trailers
          }
          return true;
        }
        skip(in, n);
        readLine(in);
      }
    }
    skip(in, contentLength);
    return true;
  }

  private static void skip(InputStream in, long n) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) throw new SocketException("request body cut short");
        skipped = 1;
      }
      left -= skipped;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') break;
      if (b != '\r') line.write(b);
    }
    if (b < 0 && line.size() == 0) return null;
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    closed = true;
    if (server != null) {
      try {
        server.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
