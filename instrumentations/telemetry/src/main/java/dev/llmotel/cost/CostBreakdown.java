package dev.llmotel.cost;

/**
 * A call's cost from the price table, per kind of token, in USD: the input tokens that were neither read from nor
 * written to the prompt cache, the cache reads, the cache writes, and the output (reasoning included: it is billed
 * as output). {@link #total()} is their sum, the call's cost.
 */
public final class CostBreakdown {
  private final double input;
  private final double cacheRead;
  private final double cacheCreation;
  private final double output;

  public CostBreakdown(double input, double cacheRead, double cacheCreation, double output) {
    this.input = input;
    this.cacheRead = cacheRead;
    this.cacheCreation = cacheCreation;
    this.output = output;
  }

  /** Input tokens other than cache reads and writes. */
  public double input() { return input; }
  public double cacheRead() { return cacheRead; }
  public double cacheCreation() { return cacheCreation; }
  /** All output tokens, reasoning included. */
  public double output() { return output; }

  public double total() {
    return input + cacheRead + cacheCreation + output;
  }
}
