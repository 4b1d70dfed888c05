package dev.llmotel.wire;

import com.fasterxml.jackson.core.JsonFactory;

/** The reader's parser factory, for tests that drive {@link ReusedJsonParser} directly. */
final class JsonTreeReaderAccess {
  private JsonTreeReaderAccess() {}

  static JsonFactory factory() {
    return JsonTreeReader.FACTORY;
  }
}
