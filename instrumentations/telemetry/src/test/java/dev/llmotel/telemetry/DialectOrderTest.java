package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.MessageDialect;
import dev.llmotel.dialect.MessageDialectSession;
import dev.llmotel.dialect.TurnSink;
import dev.llmotel.exchange.ExchangeRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The order the dialects are asked in: by precedence, then name, stably, exactly as {@code List.sort} with
 * {@code Comparator.comparingInt(precedence).thenComparing(name)} orders them (the reference here).
 */
class DialectOrderTest {
  static final class Named implements Dialect, MessageDialect {
    final String name;
    final int precedence;

    Named(String name, int precedence) {
      this.name = name;
      this.precedence = precedence;
    }

    @Override public String name() { return name; }
    @Override public int precedence() { return precedence; }
    @Override public DialectSession open(ExchangeRequest request, DialectContext context) { return null; }

    @Override
    public MessageDialectSession open(ExchangeRequest request, DialectContext context, TurnSink turns) {
      return null;
    }
  }

  @Test
  void byPrecedenceThenNameStablyForAnyInputOrder() {
    Random random = new Random(7);
    String[] names = {"openai", "anthropic", "ollama", "gemini", "bedrock", "twirp", "a", "b"};
    int[] precedences = {Dialect.SPECIFIC, 0, -5, Integer.MIN_VALUE, Integer.MAX_VALUE, 100, 101};
    for (int round = 0; round < 500; round++) {
      List<Named> dialects = new ArrayList<>();
      int n = random.nextInt(12);
      for (int i = 0; i < n; i++) {
        // the same name and precedence twice (distinct objects) shows whether equal ones keep their input order
        dialects.add(new Named(names[random.nextInt(names.length)], precedences[random.nextInt(precedences.length)]));
      }
      Collections.shuffle(dialects, random);
      List<Named> expected = new ArrayList<>(dialects);
      expected.sort(Comparator.comparingInt((Named d) -> d.precedence).thenComparing(d -> d.name));

      Dialect[] exchanges = TracedExchanges.byPrecedence(new ArrayList<Dialect>(dialects));
      MessageDialect[] sessions = TracedMessageSessions.byPrecedence(new ArrayList<MessageDialect>(dialects));
      assertArrayEquals(expected.toArray(), exchanges, "exchanges, input " + describe(dialects));
      assertArrayEquals(expected.toArray(), sessions, "message sessions, input " + describe(dialects));
    }
  }

  private static String describe(List<Named> dialects) {
    StringBuilder out = new StringBuilder();
    for (Named d : dialects) out.append(d.name).append('/').append(d.precedence).append('@')
        .append(Integer.toHexString(System.identityHashCode(d))).append(' ');
    return out.toString();
  }

  @Test
  void aGivenOrder() {
    Named openai = new Named("openai", 0);
    Named anthropic = new Named("anthropic", Dialect.SPECIFIC);
    Named ollama = new Named("ollama", Dialect.SPECIFIC);
    Named last = new Named("aaa", -1);
    Dialect[] order = TracedExchanges.byPrecedence(Arrays.<Dialect>asList(openai, ollama, last, anthropic));
    assertArrayEquals(new Dialect[] {last, openai, anthropic, ollama}, order);
  }
}
