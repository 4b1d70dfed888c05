package dev.llmotel.dialect.support;

import dev.llmotel.wire.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The content blocks of a streamed message, by the index its events give (Anthropic's {@code content_block_*},
 * Bedrock's {@code contentBlock*}): each block's text, tool input or reasoning is kept up to the content limit, and
 * marked cut when more came (or the parser had cut it). At most {@value #MAX_BLOCKS} blocks.
 */
public final class StreamedBlocks {
  static final int MAX_BLOCKS = 128;

  /** One block: what kind, the tool's id and name where it is a tool use, and its text so far. */
  public static final class Block {
    public String type;
    public String id;
    public String name;
    final StringBuilder text = new StringBuilder();
    boolean cut;

    public String text() {
      return text.toString();
    }

    /** More came than was kept. */
    public boolean cut() {
      return cut;
    }
  }

  private final int maxChars;
  private final List<Block> blocks = new ArrayList<Block>(2);

  public StreamedBlocks(int maxChars) {
    this.maxChars = maxChars;
  }

  /** The block at an index (created, with any before it, on first sight), or null for an index out of range. */
  public Block at(long index) {
    if (index < 0 || index >= MAX_BLOCKS) return null;
    while (blocks.size() <= index) blocks.add(new Block());
    return blocks.get((int) index);
  }

  /** Appends a string node's text (anything else is ignored); a node the parser cut marks the block cut. */
  public void append(Block b, JsonValue text) {
    if (!text.isString()) return;
    append(b, text.asText(""));
    if (text.isTruncated()) b.cut = true;
  }

  /** Appends while under the limit; what does not fit marks the block cut. */
  public void append(Block b, String s) {
    int room = maxChars - b.text.length();
    if (s.length() > room) b.cut = true;
    if (room > 0 && !s.isEmpty()) b.text.append(s, 0, Math.min(room, s.length()));
  }

  /** A delta too large to read arrived: the block it most likely belongs to, the last one started, is cut. */
  public void lostDelta() {
    if (!blocks.isEmpty()) blocks.get(blocks.size() - 1).cut = true;
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** The blocks in index order (a block no event typed has a null type). */
  public List<Block> all() {
    return blocks;
  }
}
