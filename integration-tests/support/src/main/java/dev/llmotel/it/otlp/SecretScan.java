package dev.llmotel.it.otlp;

import dev.llmotel.it.simulator.LibreChatRoutes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every byte any {@link OtlpReceiver} of the test JVM is sent, checked against every secret the tests use: the API
 * keys, tokens, JWTs, passwords and cookies registered here — the simulators' own (LibreChat's password, JWT and
 * refresh cookie), the tests' constants, and every credential the apps actually send to a simulator (the value of
 * each {@code Authorization}, {@code api-key}, {@code x-api-key}, {@code x-goog-api-key} and {@code Cookie} header,
 * as the simulators see them). Receivers queue what they decode; {@link #drainHits()} scans the queue against the
 * secrets known by then and empties it (the integration suite calls it after every test: SecretScanExtension).
 */
public final class SecretScan {
  /** Shorter values are not secrets (and would match by chance). */
  static final int MIN_LENGTH = 6;
  /** Bodies queued at most before the oldest are scanned at once (memory stays bounded in long runs). */
  static final long MAX_QUEUED_BYTES = 64L << 20;

  private static final Map<String, String> SECRETS = new ConcurrentHashMap<>();
  private static final ConcurrentLinkedQueue<Exported> QUEUE = new ConcurrentLinkedQueue<>();
  private static final List<String> EARLY_HITS = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static final java.util.concurrent.atomic.AtomicLong QUEUED = new java.util.concurrent.atomic.AtomicLong();
  private static final java.util.concurrent.atomic.AtomicLong SCANNED = new java.util.concurrent.atomic.AtomicLong();

  private record Exported(String receiver, String path, byte[] body) {}

  static {
    secret(LibreChatRoutes.PASSWORD, "LibreChat password");
    secret(LibreChatRoutes.JWT, "LibreChat JWT");
    secret(LibreChatRoutes.REFRESH_TOKEN, "LibreChat refresh cookie");
    secret(LibreChatRoutes.API_KEY, "API key");
  }

  private SecretScan() {}

  /** A value that must never be exported, with what it is (for the failure message). */
  public static void secret(String value, String what) {
    if (value != null && value.length() >= MIN_LENGTH) SECRETS.putIfAbsent(value, what);
  }

  /** The secrets known so far (value to what it is). */
  public static Map<String, String> secrets() { return Map.copyOf(SECRETS); }

  /** Registers the credentials among a request's headers (any case; a name may map to one value or a list). */
  public static void requestHeaders(Map<String, ?> headers) {
    headers.forEach((name, value) -> {
      if (value instanceof List<?> values) {
        for (Object v : values) credentialHeader(name, String.valueOf(v));
      } else if (value != null) {
        credentialHeader(name, String.valueOf(value));
      }
    });
  }

  /** Registers the secret parts of one credential header: the token of a Bearer/Basic value, a cookie's values... */
  public static void credentialHeader(String name, String value) {
    String n = name.toLowerCase(Locale.ROOT);
    String v = value.trim();
    switch (n) {
      case "authorization", "proxy-authorization" -> {
        secret(v, n + " header");
        int space = v.indexOf(' ');
        String scheme = space < 0 ? "" : v.substring(0, space);
        String token = space < 0 ? v : v.substring(space + 1).trim();
        secret(token, n + " " + scheme + " token");
        if (scheme.equalsIgnoreCase("Basic")) {
          try {
            String decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon >= 0) secret(decoded.substring(colon + 1), "Basic auth password");
          } catch (IllegalArgumentException notBase64) {
            // not a Basic credential after all
          }
        }
        if (scheme.startsWith("AWS4-")) {
          for (String part : token.split(",")) {
            String p = part.trim();
            if (p.startsWith("Signature=")) secret(p.substring("Signature=".length()), "SigV4 signature");
          }
        }
      }
      case "api-key", "x-api-key", "x-goog-api-key", "x-amz-security-token", "xi-api-key" -> secret(v, n + " header");
      case "cookie" -> {
        for (String cookie : v.split(";")) {
          int eq = cookie.indexOf('=');
          if (eq > 0) secret(cookie.substring(eq + 1).trim(), "cookie " + cookie.substring(0, eq).trim());
        }
      }
      default -> { }
    }
  }

  /** What a receiver decoded (the body after any gzip), queued for the next {@link #drainHits()}. */
  public static void exported(String receiver, String path, byte[] body) {
    QUEUE.add(new Exported(receiver, path, body));
    if (QUEUED.addAndGet(body.length) > MAX_QUEUED_BYTES) EARLY_HITS.addAll(scanQueue());
  }

  /** Scans everything exported since the last call against every secret known now; empties the queue. */
  public static List<String> drainHits() {
    List<String> hits = new ArrayList<>(EARLY_HITS);
    EARLY_HITS.clear();
    hits.addAll(scanQueue());
    return hits;
  }

  /** Export bodies scanned so far (to show the scan ran). */
  public static long scannedBodies() { return SCANNED.get(); }

  private static synchronized List<String> scanQueue() {
    List<String> hits = new ArrayList<>();
    Set<Map.Entry<String, String>> secrets = Map.copyOf(SECRETS).entrySet();
    Exported e;
    while ((e = QUEUE.poll()) != null) {
      QUEUED.addAndGet(-e.body().length);
      SCANNED.incrementAndGet();
      for (Map.Entry<String, String> s : secrets) {
        if (indexOf(e.body(), s.getKey().getBytes(StandardCharsets.UTF_8)) >= 0) {
          hits.add(s.getValue() + " '" + mask(s.getKey()) + "' exported to " + e.receiver() + " " + e.path());
        }
      }
    }
    return hits;
  }

  static String mask(String secret) {
    return secret.substring(0, Math.min(4, secret.length())) + "…(" + secret.length() + " chars)";
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) continue outer;
      }
      return i;
    }
    return -1;
  }
}
