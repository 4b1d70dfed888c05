package dev.llmotel.dialect.openai;

import dev.llmotel.wire.JsonValue;

/** The dimension count of an embedding as returned: a float array, or base64 of little-endian float32 values. */
final class EmbeddingVectors {
  private EmbeddingVectors() {}

  /** Dimensions of the embedding value, or -1 when it is neither an array nor a base64 string. */
  static long dimensions(JsonValue embedding) {
    if (embedding.isArray()) return embedding.size();
    if (embedding.isString()) {
      // size() is the full length even when the text was not kept. Padding can be ignored: 4-byte floats leave at
      // most 2 padding characters, which never change floor(bytes / 4).
      long chars = embedding.size();
      long bytes = chars / 4 * 3 + Math.max(0, chars % 4 - 1);
      return bytes / 4;
    }
    return -1;
  }
}
