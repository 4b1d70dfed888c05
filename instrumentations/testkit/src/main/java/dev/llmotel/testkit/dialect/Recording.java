package dev.llmotel.testkit.dialect;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;

/**
 * One recorded exchange: a directory holding
 * <ul>
 *   <li>{@code request.http}: the line {@code METHOD URL} (full URL), {@code Name: value} header lines, a blank line,
 *       then the request body (may be empty);</li>
 *   <li>{@code response.http}: the line holding the status code, header lines, a blank line, then the raw response
 *       body, byte for byte (may be binary);</li>
 *   <li>{@code expected.json}: the expected facts, as {@link FactsSnapshot} writes them;</li>
 *   <li>optionally {@code recording.properties}: {@code capture-content=true} (replay with content capture on),
 *       {@code complete=false} (the application closed the body after the recorded bytes instead of reading to its
 *       end), {@code max-event-bytes}, {@code max-parsed-bytes}, {@code max-retained-chars}, {@code max-content-chars}
 *       (the {@link DialectContext} limits; by default those of {@link DialectContext#defaults()}, and 8192 content
 *       characters).</li>
 * </ul>
 * Head lines may end in {@code \n} or {@code \r\n}; the head is UTF-8; a head with no blank line has an empty body.
 */
public final class Recording {
  static final String REQUEST = "request.http";
  static final String RESPONSE = "response.http";
  static final String EXPECTED = "expected.json";
  static final String PROPERTIES = "recording.properties";
  static final int DEFAULT_MAX_CONTENT_CHARS = 8192;
  private static final List<String> KNOWN_PROPERTIES = Arrays.asList("capture-content", "complete",
      "max-event-bytes", "max-parsed-bytes", "max-retained-chars", "max-content-chars");

  private final String name;
  private final Path directory;
  private final String method;
  private final URI url;
  private final Map<String, String> requestHeaders;
  private final byte[] requestBody;
  private final int status;
  private final Map<String, String> responseHeaders;
  private final byte[] responseBody;
  private final SortedMap<String, Object> expected;
  private final boolean complete;
  private final DialectContext context;

  private Recording(Path directory, Message request, Message response, SortedMap<String, Object> expected,
      Properties settings) {
    this.name = directory.getFileName().toString();
    this.directory = directory;
    String[] requestLine = request.firstLine.trim().split("\\s+");
    if (requestLine.length != 2) {
      throw new IllegalArgumentException(REQUEST + ": the first line must be 'METHOD URL', was '"
          + request.firstLine + "'");
    }
    this.method = requestLine[0];
    try {
      this.url = new URI(requestLine[1]);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(REQUEST + ": bad URL: " + e.getMessage(), e);
    }
    if (url.getScheme() == null || url.getHost() == null) {
      throw new IllegalArgumentException(REQUEST + ": the URL must be absolute (scheme and host), was " + url);
    }
    this.requestHeaders = request.headers;
    this.requestBody = request.body;
    try {
      this.status = Integer.parseInt(response.firstLine.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(RESPONSE + ": the first line must be the status code, was '"
          + response.firstLine + "'");
    }
    this.responseHeaders = response.headers;
    this.responseBody = response.body;
    this.expected = expected;
    for (String key : settings.stringPropertyNames()) {
      if (!KNOWN_PROPERTIES.contains(key)) {
        throw new IllegalArgumentException(PROPERTIES + ": unknown setting '" + key + "', known: " + KNOWN_PROPERTIES);
      }
    }
    this.complete = bool(settings, "complete", true);
    DialectContext defaults = DialectContext.defaults();
    this.context = new DialectContext(
        (int) number(settings, "max-event-bytes", defaults.maxEventBytes()),
        number(settings, "max-parsed-bytes", defaults.maxParsedBytes()),
        (int) number(settings, "max-retained-chars", defaults.maxRetainedChars()),
        bool(settings, "capture-content", false),
        (int) number(settings, "max-content-chars", DEFAULT_MAX_CONTENT_CHARS));
  }

  /**
   * Reads the recording in {@code directory}.
   *
   * @throws IllegalArgumentException when a file is malformed
   * @throws UncheckedIOException when {@code request.http} or {@code response.http} cannot be read
   */
  public static Recording load(Path directory) {
    Message request = Message.read(directory.resolve(REQUEST));
    Message response = Message.read(directory.resolve(RESPONSE));
    SortedMap<String, Object> expected = null;
    Path expectedFile = directory.resolve(EXPECTED);
    if (Files.exists(expectedFile)) {
      try {
        expected = FactsSnapshot.parse(Files.readString(expectedFile, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(EXPECTED + ": " + e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Properties settings = new Properties();
    Path propertiesFile = directory.resolve(PROPERTIES);
    if (Files.exists(propertiesFile)) {
      try (InputStream in = Files.newInputStream(propertiesFile)) {
        settings.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Recording(directory, request, response, expected, settings);
  }

  /** The directory's name. */
  public String name() { return name; }

  public Path directory() { return directory; }

  /** What a hook would hand the dialect for this request: method, scheme, host, port, raw path and query, headers. */
  public ExchangeRequest exchangeRequest() {
    return new ExchangeRequest(method, url.getScheme(), url.getHost(), url.getPort(), url.getRawPath(),
        url.getRawQuery(), headers(requestHeaders));
  }

  public byte[] requestBody() { return requestBody.clone(); }

  public int status() { return status; }

  /** The response headers, looked up case-insensitively (the first value of a repeated header). */
  public HeaderLookup responseHeaders() { return headers(responseHeaders); }

  public byte[] responseBody() { return responseBody.clone(); }

  /** The expected facts, or null when the recording has no {@code expected.json} yet. */
  public SortedMap<String, Object> expected() { return expected == null ? null : Collections.unmodifiableSortedMap(expected); }

  /** False when the application closed the body after the recorded bytes instead of reading to its end. */
  public boolean complete() { return complete; }

  /** The context to replay with: the limits and content capture of {@code recording.properties}. */
  public DialectContext context() { return context; }

  /** Replays the recording through {@code dialect} once, bodies whole, and returns the facts. */
  public CallFacts replay(Dialect dialect) {
    return Replay.run(dialect, this, Replay.WHOLE, responseBody, Replay.WHOLE, complete);
  }

  byte[] requestBodyShared() { return requestBody; }

  byte[] responseBodyShared() { return responseBody; }

  @Override
  public String toString() {
    return name;
  }

  private static HeaderLookup headers(Map<String, String> byLowerCaseName) {
    return name -> name == null ? null : byLowerCaseName.get(name.toLowerCase(Locale.ROOT));
  }

  private static boolean bool(Properties p, String key, boolean fallback) {
    String v = p.getProperty(key);
    if (v == null) return fallback;
    v = v.trim();
    if (v.equals("true")) return true;
    if (v.equals("false")) return false;
    throw new IllegalArgumentException(PROPERTIES + ": " + key + " must be true or false, was '" + v + "'");
  }

  private static long number(Properties p, String key, long fallback) {
    String v = p.getProperty(key);
    if (v == null) return fallback;
    try {
      long n = Long.parseLong(v.trim());
      if (n < 0) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PROPERTIES + ": " + key + " must be a non-negative integer, was '" + v + "'");
    }
  }

  /** A {@code request.http} or {@code response.http}: first line, headers (by lower-case name, first value), body. */
  private static final class Message {
    final String firstLine;
    final Map<String, String> headers;
    final byte[] body;

    private Message(String firstLine, Map<String, String> headers, byte[] body) {
      this.firstLine = firstLine;
      this.headers = headers;
      this.body = body;
    }

    static Message read(Path file) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file.getFileName(), e);
      }
      List<String> lines = new ArrayList<>();
      int pos = 0;
      int bodyStart = bytes.length;
      while (pos < bytes.length) {
        int end = pos;
        while (end < bytes.length && bytes[end] != '\n') end++;
        int lineEnd = end > pos && bytes[end - 1] == '\r' ? end - 1 : end;
        String line = new String(bytes, pos, lineEnd - pos, StandardCharsets.UTF_8);
        pos = Math.min(end + 1, bytes.length);
        if (line.isEmpty() && !lines.isEmpty()) {
          bodyStart = pos;
          break;
        }
        lines.add(line);
      }
      String name = file.getFileName().toString();
      if (lines.isEmpty() || lines.get(0).isEmpty()) throw new IllegalArgumentException(name + ": empty first line");
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line : lines.subList(1, lines.size())) {
        int colon = line.indexOf(':');
        if (colon <= 0) throw new IllegalArgumentException(name + ": not a 'Name: value' header line: '" + line + "'");
        headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
      return new Message(lines.get(0), headers, Arrays.copyOfRange(bytes, bodyStart, bytes.length));
    }
  }
}
