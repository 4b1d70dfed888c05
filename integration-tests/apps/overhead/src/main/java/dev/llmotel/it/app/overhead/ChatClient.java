package dev.llmotel.it.app.overhead;

/**
 * One HTTP client library making {@link ChatLoopApp}'s call: POST {@link ChatLoopApp#REQUEST} as JSON with an
 * {@code Authorization} header, read the response body fully, return its length. Blocking: the call returns when the
 * body has been read.
 */
interface ChatClient extends AutoCloseable {
  int call() throws Exception;

  /** The clients {@code -Dchatloop.client} names; the first is the default. */
  String[] NAMES = {"okhttp", "java-http-client", "apache-httpclient-5", "apache-httpclient-4", "reactor-netty",
      "http-url-connection", "vertx"};

  static ChatClient open(String name, String url) throws Exception {
    switch (name) {
      case "okhttp": return new OkHttpChat(url);
      case "java-http-client": return new JavaHttpClientChat(url);
      case "apache-httpclient-5": return new ApacheHttpClient5Chat(url);
      case "apache-httpclient-4": return new ApacheHttpClient4Chat(url);
      case "reactor-netty": return new ReactorNettyChat(url);
      case "http-url-connection": return new HttpUrlConnectionChat(url);
      case "vertx": return new VertxChat(url);
      default: throw new IllegalArgumentException("unknown client '" + name + "'; one of "
          + String.join(", ", NAMES));
    }
  }
}
