package io.aimstore.ops.health;

import io.aimstore.api.v1.StatusResponse;

/**
 * What one member said when asked for its status, or why it said nothing.
 *
 * @param name the member's name (its endpoint when it never answered and no one named it)
 * @param endpoint its client address
 * @param status its answer, or null
 * @param error why there is no answer, or null
 */
public record MemberProbe(String name, String endpoint, StatusResponse status, String error) {
  public boolean answered() {
    return status != null;
  }
}
