package dev.taskwright.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The benchmark mains' {@code key=value} arguments over their defaults. */
final class BenchArguments {

  private BenchArguments() {}

  static Map<String, String> parse(String[] args, Map<String, String> defaults) {
    Map<String, String> options = new LinkedHashMap<>(defaults);
    for (String arg : args) {
      String[] pair = arg.split("=", 2);
      if (pair.length != 2) {
        throw new IllegalArgumentException("arguments are key=value, not " + arg);
      }
      options.put(pair[0], pair[1]);
    }
    return options;
  }
}
