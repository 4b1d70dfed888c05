package dev.llmotel.it.app.overhead;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * java.net.HttpURLConnection: a new connection object per call (the JDK keeps the socket alive underneath), the body
 * written to its output stream, the input stream read fully and closed.
 */
final class HttpUrlConnectionChat implements ChatClient {
  private static final byte[] BODY = ChatLoopApp.REQUEST.getBytes(StandardCharsets.UTF_8);
  private final URL url;

  HttpUrlConnectionChat(String url) throws Exception {
    this.url = new URL(url);
  }

  @Override
  public int call() throws Exception {
    HttpURLConnection connection = (HttpURLConnection) url.openConnection();
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("Authorization", "Bearer sk-bench");
    connection.setRequestProperty("Content-Type", "application/json");
    try (OutputStream out = connection.getOutputStream()) {
      out.write(BODY);
    }
    try (InputStream in = connection.getInputStream()) {
      return in.readAllBytes().length;
    }
  }

  @Override
  public void close() {
    // nothing to close: the JDK's keep-alive cache times out on its own
  }
}
