package dev.llmotel.dialect.ollama;

import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * One recorded exchange in the dialect test kit's format: {@code request.http} ({@code POST <url>}, headers, blank
 * line, body), {@code response.http} (status, headers, blank line, raw body), {@code expected.json} and an optional
 * {@code recording.properties}. Interim reader until the kit ({@code dev.llmotel.testkit.dialect}) is merged.
 */
record Recording(String name, ExchangeRequest request, byte[] requestBody, int status, Map<String, String> headers,
    byte[] responseBody, String expectedJson, boolean captureContent, boolean complete) {

  static Recording read(Path dir) throws IOException {
    Message request = Message.parse(Files.readAllBytes(dir.resolve("request.http")));
    Message response = Message.parse(Files.readAllBytes(dir.resolve("response.http")));
    String[] requestLine = request.firstLine.split(" ", 2);
    URI uri = URI.create(requestLine[1].trim());
    ExchangeRequest exchangeRequest = new ExchangeRequest(requestLine[0], uri.getScheme(), uri.getHost(),
        uri.getPort(), uri.getRawPath(), uri.getRawQuery(), lookup(request.headers));
    Properties props = new Properties();
    Path propsFile = dir.resolve("recording.properties");
    if (Files.exists(propsFile)) props.load(new StringReader(Files.readString(propsFile)));
    return new Recording(dir.getFileName().toString(), exchangeRequest, request.body,
        Integer.parseInt(response.firstLine.trim()), response.headers, response.body,
        Files.readString(dir.resolve("expected.json")),
        Boolean.parseBoolean(props.getProperty("capture-content", "false")),
        Boolean.parseBoolean(props.getProperty("complete", "true")));
  }

  HeaderLookup responseHeaders() {
    return lookup(headers);
  }

  private static HeaderLookup lookup(Map<String, String> headers) {
    return name -> headers.get(name.toLowerCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return name;
  }

  /** The start line, headers (lower-case names) and body of an {@code .http} file. */
  private record Message(String firstLine, Map<String, String> headers, byte[] body) {
    static Message parse(byte[] bytes) {
      int headEnd = -1;
      int bodyStart = -1;
      for (int i = 0; i + 1 < bytes.length; i++) {
        if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
          headEnd = i;
          bodyStart = i + 2;
          break;
        }
        if (bytes[i] == '\n' && bytes[i + 1] == '\r' && i + 2 < bytes.length && bytes[i + 2] == '\n') {
          headEnd = i;
          bodyStart = i + 3;
          break;
        }
      }
      if (headEnd < 0) {
        headEnd = bytes.length;
        bodyStart = bytes.length;
      }
      String[] head = new String(bytes, 0, headEnd, StandardCharsets.UTF_8).split("\r?\n");
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < head.length; i++) {
        int colon = head[i].indexOf(':');
        if (colon > 0) {
          headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
        }
      }
      return new Message(head[0], headers, Arrays.copyOfRange(bytes, bodyStart, bytes.length));
    }
  }
}
