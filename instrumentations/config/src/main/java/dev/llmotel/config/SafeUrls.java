package dev.llmotel.config;

import java.util.regex.Pattern;

/**
 * URLs as they may be logged: a URL's user and password ({@code https://user:token@host}) and its query (which can
 * carry an API key) are replaced by {@code ****}. For every line the agent prints that may quote a configured
 * endpoint or an exception's message about one.
 */
public final class SafeUrls {
  /** {@code scheme://user:password@}: the part between {@code //} and the last {@code @} before the path. */
  private static final Pattern USER_INFO = Pattern.compile("(\\b[A-Za-z][A-Za-z0-9+.-]*://)[^/?#\\s]*@");
  /** A query of a URL: from {@code ?} to the fragment or the end of the URL. */
  private static final Pattern QUERY = Pattern.compile("(\\b[A-Za-z][A-Za-z0-9+.-]*://[^?#\\s]*)\\?[^#\\s]*");

  private SafeUrls() {}

  /** {@code text} with every URL's user information and query replaced by {@code ****}; null stays null. */
  public static String redact(String text) {
    if (text == null || text.indexOf("://") < 0) return text;
    String out = USER_INFO.matcher(text).replaceAll("$1****@");
    return QUERY.matcher(out).replaceAll("$1?****");
  }
}
