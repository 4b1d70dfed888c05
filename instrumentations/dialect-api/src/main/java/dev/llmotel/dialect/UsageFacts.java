package dev.llmotel.dialect;

/**
 * Token counts as the provider reported them, written by the dialect; -1 when not reported. {@link #inputTokens} is
 * the semantic conventions' total input (for Anthropic: input + cache read + cache creation).
 */
public final class UsageFacts {
  public long inputTokens = -1;
  public long outputTokens = -1;
  public long cacheReadTokens = -1;
  public long cacheCreationTokens = -1;
  public long reasoningTokens = -1;
}
