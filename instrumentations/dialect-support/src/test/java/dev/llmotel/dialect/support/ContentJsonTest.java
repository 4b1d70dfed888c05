package dev.llmotel.dialect.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ContentJsonTest {
  private static String quote(String s, boolean alreadyCut, int maxChars) {
    StringBuilder out = new StringBuilder();
    ContentJson.quote(out, s, alreadyCut, maxChars);
    return out.toString();
  }

  private static String arguments(String text, boolean cut, int maxChars) {
    StringBuilder out = new StringBuilder();
    ContentJson.arguments(out, text, cut, maxChars);
    return out.toString();
  }

  @Test
  void stringsAreEscapedCutAndMarked() {
    assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", quote("a\"b\\c\nd\u0001", false, 100));
    assertEquals("\"abc...[truncated]\"", quote("abcdef", false, 3));
    assertEquals("\"abc...[truncated]\"", quote("abc", true, 3), "cut by the parser before");
    // never inside a surrogate pair: the cut moves before it
    assertEquals("\"ab...[truncated]\"", quote("ab\uD83D\uDE00cd", false, 3));
  }

  @Test
  void argumentsAreTheirObjectOnlyWhenTheyAreOneWholeObject() {
    assertEquals("{\"a\":{\"b\":1}}", arguments(" {\"a\": {\"b\": 1}} ", false, 100));
    assertEquals("\"{\\\"a\\\": {\\\"b\\\": 1}\"", arguments("{\"a\": {\"b\": 1}", false, 100), "incomplete");
    assertEquals("\"[1]\"", arguments("[1]", false, 100));
    assertEquals("\"\"", arguments("", false, 100));
    assertEquals("\"{\\\"a\\\":1}...[truncated]\"", arguments("{\"a\":1}", true, 100), "cut before: text");
    assertEquals("\"{\\\"a\\\"...[truncated]\"", arguments("{\"a\":1}", false, 4), "over the limit: cut text");
  }

  @Test
  void jsonTextIsKeptWithinTheLimitElseCut() {
    StringBuilder out = new StringBuilder();
    ContentJson.clip(out, "{\"x\":1}", 100);
    assertEquals("{\"x\":1}", out.toString());
    out.setLength(0);
    ContentJson.clip(out, "{\"x\":1}", 3);
    assertEquals("\"{\\\"x...[truncated]\"", out.toString());
  }
}
