package dev.llmotel.hook.javahttpclient;

import dev.llmotel.exchange.HeaderLookup;
import java.net.http.HttpHeaders;

/** {@link HeaderLookup} over {@code java.net.http.HttpHeaders} (whose lookups are already case-insensitive). */
final class HttpHeadersLookup implements HeaderLookup {
  private final HttpHeaders headers;

  HttpHeadersLookup(HttpHeaders headers) {
    this.headers = headers;
  }

  @Override
  public String get(String name) {
    try {
      return headers.firstValue(name).orElse(null);
    } catch (Throwable t) {
      return null;
    }
  }
}
