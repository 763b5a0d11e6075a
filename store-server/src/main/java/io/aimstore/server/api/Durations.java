package io.aimstore.server.api;

/** Durations for people: 90 s, 15 min, 2 h, 3 d — the largest unit that is whole. */
final class Durations {
  private Durations() {}

  static String human(long ms) {
    if (ms % 86_400_000 == 0 && ms >= 86_400_000) {
      return ms / 86_400_000 + " d";
    }
    if (ms % 3_600_000 == 0 && ms >= 3_600_000) {
      return ms / 3_600_000 + " h";
    }
    if (ms % 60_000 == 0 && ms >= 60_000) {
      return ms / 60_000 + " min";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + " s";
    }
    return ms + " ms";
  }
}
