package io.aimstore.chaos.check;

/**
 * The ids of the operations linearized so far, as a bitset that yields small, canonical memo keys.
 * Ids are given in invocation order, so the set is mostly a prefix of full words plus a few bits
 * near the operations in flight; {@link #key} encodes only that frontier.
 */
final class LinearizedSet {

  private final long[] words;

  /** words[0, fullWords) are all ones, words[fullWords] is not. */
  private int fullWords;

  /** No word above this one has a bit set. */
  private int highWord = -1;

  LinearizedSet(int size) {
    words = new long[(size + 63) >>> 6];
  }

  void set(int id) {
    int w = id >>> 6;
    words[w] |= 1L << id;
    highWord = Math.max(highWord, w);
    while (fullWords < words.length && words[fullWords] == -1L) {
      fullWords++;
    }
  }

  void clear(int id) {
    int w = id >>> 6;
    words[w] &= ~(1L << id);
    fullWords = Math.min(fullWords, w);
  }

  /**
   * Encodes this set as {@code [fullWords, index, word, index, word, ...]} over the non-zero words
   * past the full prefix. Equal sets give equal arrays.
   */
  long[] key() {
    int nonZero = 0;
    for (int i = fullWords; i <= highWord; i++) {
      nonZero += words[i] != 0 ? 1 : 0;
    }
    long[] key = new long[1 + 2 * nonZero];
    key[0] = fullWords;
    int k = 1;
    for (int i = fullWords; i <= highWord; i++) {
      if (words[i] != 0) {
        key[k++] = i;
        key[k++] = words[i];
      }
    }
    return key;
  }
}
