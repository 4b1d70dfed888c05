package dev.llmotel.wire;

/**
 * The fuzz tests' way to a {@link JsonTreeReader} that parses every document as it arrives (its package-private
 * constructor), whatever the document's size.
 */
public final class IncrementalJsonReaders {
  private IncrementalJsonReaders() {}

  public static JsonTreeReader fromTheFirstByte(JsonLimits limits) {
    return new JsonTreeReader(limits, 0);
  }
}
