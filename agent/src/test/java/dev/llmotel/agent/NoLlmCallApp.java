package dev.llmotel.agent;

/** A short-lived application that makes no LLM call (a CLI tool, a batch job): prints one line and exits. */
public final class NoLlmCallApp {
  private NoLlmCallApp() {}

  public static void main(String[] args) {
    System.out.println("done");
  }
}
