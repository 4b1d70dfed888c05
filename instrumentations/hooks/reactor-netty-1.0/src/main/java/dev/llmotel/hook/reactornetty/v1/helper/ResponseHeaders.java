package dev.llmotel.hook.reactornetty.v1.helper;

import dev.llmotel.exchange.HeaderLookup;
import io.netty.handler.codec.http.HttpHeaders;

/** A response's headers, case-insensitively (Netty's received headers are not changed after they arrive). */
final class ResponseHeaders implements HeaderLookup {
  private final HttpHeaders headers;

  ResponseHeaders(HttpHeaders headers) {
    this.headers = headers;
  }

  @Override
  public String get(String name) {
    try {
      return headers == null ? null : headers.get(name);
    } catch (Throwable t) {
      return null;
    }
  }
}
