package dev.llmotel.testkit.dialect;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void readsValuesInTheirNaturalJavaTypes() {
    Object v = Json.parse(" {\"a\": [1, -2.5, 1e3, true, false, null], \"b\": \"\\u00e9\\n\\\"\", \"c\": {}} ");
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals(List.of(1L, -2.5, 1000.0, true, false), ((List<?>) m.get("a")).subList(0, 5));
    assertNull(((List<?>) m.get("a")).get(5));
    assertEquals("\u00e9\n\"", m.get("b"));
    assertEquals(Map.of(), m.get("c"));
    assertEquals(new java.math.BigDecimal("123456789012345678901234567890"), Json.parse("123456789012345678901234567890"));
  }

  @Test
  void rejectsWhatIsNotExactlyOneValue() {
    for (String bad : new String[] {"", "{", "{\"a\":1,}", "[1 2]", "{\"a\":1} x", "{\"a\":1,\"a\":2}", "01", "1.",
        "\"\t\"", "tru", "{a:1}"}) {
      assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\n  \"a\": x}"));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }

  @Test
  void theCanonicalFormIgnoresKeyOrderAndNumberSpelling() {
    assertEquals(Json.canonical(Json.parse("{\"b\":1,\"a\":[0.70,2E1]}")),
        Json.canonical(Json.parse("{\"a\":[0.7,20],\"b\":1.0}")));
    assertEquals(Json.canonical(1L), Json.canonical(1.0));
    assertEquals(Json.canonical(0L), Json.canonical(-0.0));
    assertNotEquals(Json.canonical("1"), Json.canonical(1L));
    assertNotEquals(Json.canonical(List.of(1L, 2L)), Json.canonical(List.of(2L, 1L)));
  }

  @Test
  void writesWhatItReads() {
    String text = "{\"k\":\"a\\\"b\\\\c\\n\\u0001\u00e9\",\"n\":[1,2.5,null,true]}";
    assertEquals(text, Json.write(Json.parse(text)));
  }
}
