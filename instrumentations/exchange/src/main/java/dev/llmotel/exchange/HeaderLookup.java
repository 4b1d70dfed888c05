package dev.llmotel.exchange;

/** Read access to a message's headers, whatever the HTTP client. Names are matched case-insensitively. */
public interface HeaderLookup {
  /** The first value of the header, or null. */
  String get(String name);

  HeaderLookup NONE = name -> null;
}
