package dev.llmotel.dialect.openaiaudio;

/**
 * The agent's attributes for audio calls, where the GenAI semantic conventions (v1.41) have none; written as the
 * response's extra attributes.
 */
final class AudioAttributes {
  /** Speech to text: the request's {@code language}, else the one the response detected. */
  static final String LANGUAGE = "llmotel.audio.language";
  /** Speech to text: the audio's length in seconds ({@code verbose_json}'s {@code duration} or duration usage). */
  static final String DURATION = "llmotel.audio.duration";
  /** The request's {@code response_format}: json, text, verbose_json, srt, vtt (speech to text); mp3, wav, pcm... */
  static final String FORMAT = "llmotel.audio.format";
  /** Text to speech: the request's {@code voice} (a name, or a custom voice's id). */
  static final String VOICE = "llmotel.audio.voice";
  /** Text to speech: the request's {@code speed}. */
  static final String SPEED = "llmotel.audio.speed";
  /** Text to speech: the length of the request's {@code input} in characters. */
  static final String INPUT_CHARACTERS = "llmotel.audio.input_characters";
  /** Text to speech: bytes of audio (or of SSE events) the response carried to the application. */
  static final String RESPONSE_BYTES = "llmotel.audio.response_bytes";
  /** Text to speech with a binary answer: seconds from the request to the first audio byte. */
  static final String TIME_TO_FIRST_BYTE = "llmotel.audio.time_to_first_byte";

  private AudioAttributes() {}
}
