package dev.llmotel.exchange;

/** What a hook knows of an outgoing request before it is sent: enough for a dialect to decide if it is an LLM call. */
public final class ExchangeRequest {
  private final String method;
  private final String scheme;
  private final String host;
  private final int port;
  private final String path;
  private final String query;
  private final HeaderLookup headers;

  /**
   * @param port the port, or -1 for the scheme's default
   * @param query the raw query without '?', or null
   */
  public ExchangeRequest(String method, String scheme, String host, int port, String path, String query,
      HeaderLookup headers) {
    this.method = method;
    this.scheme = scheme;
    this.host = host;
    this.port = port >= 0 ? port : ("https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme) ? 443 : 80);
    this.path = path == null || path.isEmpty() ? "/" : path;
    this.query = query;
    this.headers = headers == null ? HeaderLookup.NONE : headers;
  }

  public String method() { return method; }
  public String scheme() { return scheme; }
  public String host() { return host; }
  /** The effective port (the scheme's default when the URL has none). */
  public int port() { return port; }
  public String path() { return path; }
  public String query() { return query; }
  public HeaderLookup headers() { return headers; }

  @Override
  public String toString() {
    return method + " " + scheme + "://" + host + ":" + port + path;
  }
}
