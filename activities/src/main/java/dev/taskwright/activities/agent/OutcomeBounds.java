package dev.taskwright.activities.agent;

import dev.taskwright.workflows.Limits;
import dev.taskwright.workflows.StorableText;
import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.Question;
import io.temporal.common.converter.GlobalDataConverter;
import java.util.ArrayList;
import java.util.List;

/**
 * The gate every agent outcome passes before the activity returns it: each text an agent wrote
 * (question, options, summary, error) made storable and cut to its {@link Limits limit} with a note
 * saying what was cut, and the whole outcome, as the data converter serialises it, kept under
 * {@link Limits#OUTCOME_BYTES}. A result over the server's payload limit would be lost and the
 * activity retried, running the agent a second time.
 */
final class OutcomeBounds {
  private OutcomeBounds() {}

  static AgentOutcome bound(AgentOutcome outcome) {
    if (outcome == null) {
      return null;
    }
    AgentOutcome bounded = within(outcome, 1);
    // Text of control characters is six bytes a character once escaped: cut further until it fits.
    for (int divisor = 4; size(bounded) > Limits.OUTCOME_BYTES && divisor <= 4096; divisor *= 4) {
      bounded = within(outcome, divisor);
    }
    return bounded;
  }

  /** The serialised size of {@code outcome}, as the worker sends it to the server. */
  static int size(AgentOutcome outcome) {
    return GlobalDataConverter.get().toPayload(outcome).orElseThrow().getSerializedSize();
  }

  private static AgentOutcome within(AgentOutcome outcome, int divisor) {
    return new AgentOutcome(
        outcome.status(),
        outcome.sessionId(),
        text(outcome.summary(), Limits.SUMMARY_CHARS / divisor, "the summary"),
        text(outcome.error(), Limits.ERROR_CHARS / divisor, "the error"),
        question(outcome.question(), divisor),
        outcome.rateLimitResetAt(),
        outcome.usage(),
        outcome.logPath(),
        outcome.subtasks());
  }

  private static Question question(Question question, int divisor) {
    if (question == null) {
      return null;
    }
    List<String> options = new ArrayList<>();
    List<String> given = question.options();
    for (int i = 0; i < Math.min(given.size(), Limits.OPTIONS); i++) {
      options.add(text(given.get(i), Limits.OPTION_CHARS / divisor, "option " + (i + 1)));
    }
    String text = question.text();
    if (given.size() > Limits.OPTIONS) {
      String note =
          "\n[cut: "
              + (given.size() - Limits.OPTIONS)
              + " more options; taskwright keeps at most "
              + Limits.OPTIONS
              + "]";
      text =
          (text == null
                  ? ""
                  : text(text, Limits.QUESTION_CHARS / divisor - note.length(), "the question"))
              + note;
    } else {
      text = text(text, Limits.QUESTION_CHARS / divisor, "the question");
    }
    return new Question(text, options);
  }

  private static String text(String text, int max, String what) {
    return Limits.cut(StorableText.replacingWhatCannotBeStored(text), max, what);
  }
}
