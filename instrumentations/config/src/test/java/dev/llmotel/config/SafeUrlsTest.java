package dev.llmotel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SafeUrlsTest {
  @Test
  void userAndPasswordAreReplaced() {
    assertEquals("OTLP endpoint must be a valid URL: https://****@collector:4318/v1/traces",
        SafeUrls.redact("OTLP endpoint must be a valid URL: https://user:s3cret@collector:4318/v1/traces"));
    assertEquals("http://****@host", SafeUrls.redact("http://token@host"));
    // an unencoded @ in the password: everything up to the last @ of the authority goes
    assertEquals("at https://****@host/v1/traces: 401", SafeUrls.redact("at https://u:p@ss@host/v1/traces: 401"));
  }

  @Test
  void theQueryIsReplacedThePathKept() {
    assertEquals("https://host/otel/v1/traces?**** (refused)",
        SafeUrls.redact("https://host/otel/v1/traces?api_key=abc&x=1 (refused)"));
    assertEquals("https://****@host/p?****#frag", SafeUrls.redact("https://a:b@host/p?k=v#frag"));
  }

  @Test
  void everyUrlOfALineAndNothingElse() {
    // a query runs to the next white space (a comma may belong to it)
    assertEquals("from http://****@a:1/x to https://b/y?**** user@example.com is not a URL",
        SafeUrls.redact("from http://u:p@a:1/x to https://b/y?key=1, user@example.com is not a URL"));
    assertEquals("http://collector:4318/v1/traces", SafeUrls.redact("http://collector:4318/v1/traces"));
    assertEquals("no url here: a@b ?x=1", SafeUrls.redact("no url here: a@b ?x=1"));
    assertNull(SafeUrls.redact(null));
  }
}
