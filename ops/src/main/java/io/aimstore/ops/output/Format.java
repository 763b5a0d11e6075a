package io.aimstore.ops.output;

/** How aimctl prints results: aligned tables for people, JSON for scripts. */
public enum Format {
  TABLE,
  JSON
}
