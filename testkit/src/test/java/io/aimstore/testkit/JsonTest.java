package io.aimstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

  @Test
  void parsesTheSubsetHistoriesUse() {
    Object value =
        Json.parse(
            " { \"a\" : [1, -2, \"x\\u0041\\n\\/\", true, false, null], \"b\": {}, \"c\": [] } ");

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("a", Arrays.asList(1L, -2L, "xA\n/", true, false, null));
    expected.put("b", Map.of());
    expected.put("c", List.of());
    assertThat(value).isEqualTo(expected);
  }

  @Test
  void writesWhatItParses() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("s", "\"\\\u0001é");
    value.put("l", Arrays.asList(Long.MIN_VALUE, null, true));

    String out = Json.line(value);

    assertThat(out)
        .isEqualTo("{\"s\":\"\\\"\\\\\\u0001é\",\"l\":[-9223372036854775808,null,true]}");
    assertThat(Json.parse(out)).isEqualTo(value);
  }

  @Test
  void prettyJsonParsesBackToTheSameValue() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("a", 1L);
    v.put("b", List.of("x", true, Map.of()));
    v.put("c", List.of());
    assertThat(Json.parse(Json.pretty(v))).isEqualTo(v);
    assertThat(Json.line(Map.of("n", 3))).isEqualTo("{\"n\":3}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1.5", "1e3", "[1,", "{\"a\" 1}", "\"open", "tru", "[1] x", "{1:2}"})
  void rejectsWhatItDoesNotRead(String text) {
    assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
